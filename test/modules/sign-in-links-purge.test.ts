import { describe, expect, onTestFinished, test } from 'vitest'
import { startHousekeeping } from '../../src/housekeeping/housekeeping.js'
import type { Clock } from '../../src/lib/clock.js'
import { purgeEndedSignInLinks } from '../../src/modules/accounts/sign-in-links.repo.js'
import { SignInLinks } from '../../src/modules/accounts/sign-in-links.service.js'
import { OrgsService } from '../../src/modules/orgs/orgs.service.js'
import { emptyInstallation } from '../harness.js'

const TTL_HOURS = 72

/** A clock the test moves by hand. */
function manualClock(start = Date.parse('2025-04-01T09:00:00Z')) {
  let now = start
  return { nowMs: () => now, advance: (ms: number) => (now += ms) }
}

/**
 * An installation of its own (in-memory, in the PostgreSQL pass too): a purge deletes ended rows of
 * every organization, which on the suite's shared database would include the sessions, links and
 * keys that other files made under clocks set in the past.
 */
async function ownInstallation(clock?: Clock) {
  const installation = await emptyInstallation(clock ? { clock } : {})
  onTestFinished(() => installation.close())
  const { org } = await new OrgsService(installation.deps.db).create({ name: 'Purge', plan: 'teams' })
  return { ...installation, org }
}

const unique = () => Math.random().toString(36).slice(2, 10)
const tokenOf = (url: string) => new URL(url).hash.replace(/^#token=/, '')

describe('the sign-in link purge', () => {
  test('deletes used, replaced and expired links and keeps the ones that still sign someone in', async () => {
    const clock = manualClock()
    const h = await ownInstallation(clock)
    const links = new SignInLinks(h.deps.db, clock, h.deps.publicUrl, TTL_HOURS)
    const invite = (email: string) => links.invite({ org: h.org.id, email, role: 'member' })
    const [replacedThenExpired, expired, live, used] = ['a', 'b', 'c', 'd'].map((n) => `${n}.${unique()}@acme.example`)

    await invite(replacedThenExpired!) // replaced by the next one
    await invite(replacedThenExpired!) // then expires
    await invite(expired!)
    clock.advance(TTL_HOURS * 3_600_000 + 1)
    const liveLink = await invite(live!)
    const usedLink = await invite(used!)
    const redeemed = await h.app.inject({
      method: 'POST',
      url: '/api/v1/sign-in-links/redeem',
      payload: { token: tokenOf(usedLink.url), password: 'correct horse battery staple' },
    })
    expect(redeemed.statusCode).toBe(201)

    const rowsOf = async () =>
      h.deps.db
        .selectFrom('sign_in_links as l')
        .innerJoin('users as u', 'u.id', 'l.user_id')
        .select(['u.email'])
        .where('u.email', 'in', [replacedThenExpired!, expired!, live!, used!])
        .execute()
    expect(await rowsOf()).toHaveLength(5)

    const purged = await purgeEndedSignInLinks(h.deps.db, new Date(clock.nowMs()))
    expect(purged).toBeGreaterThanOrEqual(4)
    expect((await rowsOf()).map((r) => r.email)).toEqual([live])
    const preview = await h.app.inject({
      method: 'GET',
      url: `/api/v1/sign-in-links/preview?token=${tokenOf(liveLink.url)}`,
    })
    expect(preview.statusCode, preview.body).toBe(200)
  })

  test('runs in the background role’s housekeeping: a used link is gone once housekeeping has started', async () => {
    const h = await ownInstallation()
    const links = new SignInLinks(h.deps.db, h.deps.clock, h.deps.publicUrl, TTL_HOURS)
    const link = await links.invite({ org: h.org.id, email: `e.${unique()}@acme.example`, role: 'member' })
    const redeemed = await h.app.inject({
      method: 'POST',
      url: '/api/v1/sign-in-links/redeem',
      payload: { token: tokenOf(link.url), password: 'correct horse battery staple' },
    })
    expect(redeemed.statusCode).toBe(201)
    const userId = redeemed.json().user.id as string
    const linksOf = () => h.deps.db.selectFrom('sign_in_links').select('id').where('user_id', '=', userId).execute()
    expect(await linksOf()).toHaveLength(1)
    const housekeeping = startHousekeeping({
      db: h.deps.db,
      config: h.deps.config,
      log: h.app.log,
      clock: h.deps.clock,
    })
    try {
      const deadline = Date.now() + 30_000
      while ((await linksOf()).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
      expect(await linksOf()).toEqual([])
    } finally {
      await housekeeping.stop()
    }
  })
})
