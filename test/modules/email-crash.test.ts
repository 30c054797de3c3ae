import { sql } from 'kysely'
import { afterEach, beforeAll, describe, expect, test } from 'vitest'
import type { DatabaseHandle } from '../../src/db/database.js'
import { newId } from '../../src/lib/ids.js'
import { OrgsService } from '../../src/modules/orgs/orgs.service.js'
import { spawnRapport, stop } from '../cli/rapport-process.js'
import { eventually } from '../delivery/fixtures.js'
import { ownPostgresDatabase } from '../own-postgres.js'
import { startSmtpSink } from './email-sink.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const RECIPIENTS = 10_000

/**
 * `rapport worker` processes against PostgreSQL (the embedded database belongs to one process):
 * one is killed with SIGKILL in the middle of a 10,000-recipient campaign, another takes over.
 */
describe.skipIf(!process.env.DATABASE_URL)('campaign sending across worker processes (PostgreSQL)', () => {
  let database: { url: string; handle: DatabaseHandle }
  beforeAll(async () => {
    const own = await ownPostgresDatabase('rapport_email_crash')
    database = own
    return own.drop
  })

  test('after kill -9 mid-campaign, every recipient gets the message; only those in flight may get it twice, with the same Message-ID', async () => {
    const sink = await startSmtpSink()
    cleanups.push(sink.close)
    const db = database.handle.db
    const { org } = await new OrgsService(db).create({ name: 'Crash', plan: 'teams' })
    const domain = `crash-${org.id.slice(-8)}.example`
    const contacts = Array.from({ length: RECIPIENTS }, (_, i) => ({ id: newId('contact'), email: `r${i}@${domain}` }))
    const listId = newId('emailList')
    const campaignId = newId('campaign')
    // The audience is written directly: 10,000 contacts through the API would be most of the run.
    await sql`
      insert into contacts (id, org_id, livemode, name, email, status, source)
      select t.id, ${org.id}, true, 'Reader ' || t.n, t.email, 'active', 'import'
      from unnest(${contacts.map((c) => c.id)}::text[], ${contacts.map((c) => c.email)}::text[])
        with ordinality as t(id, email, n)`.execute(db)
    await sql`insert into email_lists (id, org_id, livemode, name) values (${listId}, ${org.id}, true, 'Everyone')`.execute(
      db,
    )
    await sql`
      insert into email_list_members (list_id, contact_id, org_id, livemode, status, confirmed_at)
      select ${listId}, c.id, ${org.id}, true, 'subscribed', now() from contacts c where c.org_id = ${org.id}`.execute(
      db,
    )
    await sql`
      insert into email_campaigns (id, org_id, livemode, name, subject, html, list_ids, status, scheduled_at)
      values (${campaignId}, ${org.id}, true, 'Crash news', 'News for {{ contact.name }}',
        '<p>Hello {{ contact.name }}, <a href="https://acme.example/news">read the news</a></p>',
        ${[listId]}::text[], 'scheduled', now())`.execute(db)
    const env = {
      DATABASE_URL: database.url,
      RAPPORT_SMTP_URL: sink.url,
      RAPPORT_EMAIL_RETRY_SCHEDULE: '0',
      // The rates are not under test: let the run go as fast as the machine does.
      RAPPORT_CAMPAIGN_RATE: '100000',
      RAPPORT_CAMPAIGN_ORG_RATE: '100000',
    }
    const ours = () => sink.messages.filter((m) => m.to[0]?.endsWith(`@${domain}`))

    const first = spawnRapport(['worker'], env)
    cleanups.push(() => stop(first.child, 'SIGKILL').then(() => undefined))
    await eventually(async () => ours().length >= RECIPIENTS / 10, 600_000, 'the first worker to send a tenth').catch(
      (err: Error) => {
        throw new Error(
          `${err.message} (${ours().length} sent):\n${first.stdout().slice(-3000)}\n${first.stderr().slice(-3000)}`,
        )
      },
    )
    first.child.kill('SIGKILL')
    await first.exited
    expect(ours().length).toBeLessThan(RECIPIENTS)
    // Time passes for the dead worker's leases (120 s): move them to the past instead of waiting.
    await sql`update emails set lease_expires_at = now() - interval '1 second'
      where org_id = ${org.id} and status = 'queued' and leased_by is not null`.execute(db)

    const second = spawnRapport(['worker'], env)
    cleanups.push(() => stop(second.child, 'SIGTERM').then(() => undefined))
    await eventually(
      async () => {
        const c = await db
          .selectFrom('email_campaigns')
          .select('status')
          .where('id', '=', campaignId)
          .executeTakeFirstOrThrow()
        return c.status === 'completed'
      },
      1_200_000,
      'the campaign completed',
    )

    const byRecipient = new Map<string, string[]>()
    for (const m of ours()) {
      const id = /^Message-ID: (.+)$/im.exec(m.raw)?.[1]?.trim() ?? ''
      byRecipient.set(m.to[0]!, [...(byRecipient.get(m.to[0]!) ?? []), id])
    }
    expect(byRecipient.size).toBe(RECIPIENTS)
    for (const c of contacts) expect(byRecipient.has(c.email), c.email).toBe(true)
    const twice = [...byRecipient.entries()].filter(([, ids]) => ids.length > 1)
    // At most the messages in flight at the kill: 10 sends at once per worker.
    expect(twice.length).toBeLessThanOrEqual(10)
    for (const [to, ids] of twice) {
      expect(ids.length, to).toBe(2)
      expect(ids[0], to).toBe(ids[1])
    }
    const ledger = await db
      .selectFrom('email_campaign_sends')
      .select(['status', sql<number>`count(*)::int`.as('n')])
      .where('campaign_id', '=', campaignId)
      .groupBy('status')
      .execute()
    expect(ledger).toEqual([{ status: 'delivered', n: RECIPIENTS }])
    const completed = await db
      .selectFrom('events')
      .select('data')
      .where('org_id', '=', org.id)
      .where('type', '=', 'campaign.completed')
      .execute()
    expect(completed.map((e) => e.data)).toEqual([{ id: campaignId, name: 'Crash news', sent: RECIPIENTS, failed: 0 }])
  }, 2_400_000)
})
