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

const RECIPIENTS = 2000

/**
 * `rapport worker` processes against PostgreSQL (the embedded database belongs to one process):
 * one is killed with SIGKILL in the middle of a run of queued messages, another takes over.
 */
describe.skipIf(!process.env.DATABASE_URL)('email worker processes (PostgreSQL)', () => {
  let database: { url: string; handle: DatabaseHandle }
  beforeAll(async () => {
    const own = await ownPostgresDatabase('rapport_email_crash')
    database = own
    return own.drop
  })

  test('after kill -9 mid-run, every recipient gets the message; only those in flight may get it twice, with the same Message-ID', async () => {
    const sink = await startSmtpSink()
    cleanups.push(sink.close)
    const db = database.handle.db
    const { org } = await new OrgsService(db).create({ name: 'Crash', plan: 'teams' })
    const domain = `crash-${org.id.slice(-8)}.example`
    const rows = Array.from({ length: RECIPIENTS }, (_, i) => {
      const id = newId('email')
      return { id, to: `r${i}@${domain}`, messageId: `<${id}@acme.example>` }
    })
    await sql`
      insert into emails (id, org_id, livemode, to_email, from_email, subject, text, category, message_id)
      select t.id, ${org.id}, true, t.to_email, 'hello@acme.example', 'Hello', 'Hello there', 'api', t.message_id
      from unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.to)}::text[], ${rows.map((r) => r.messageId)}::text[])
        as t(id, to_email, message_id)`.execute(db)
    const env = {
      DATABASE_URL: database.url,
      RAPPORT_SMTP_URL: sink.url,
      RAPPORT_EMAIL_RETRY_SCHEDULE: '0',
    }
    const ours = () => sink.messages.filter((m) => m.to[0]?.endsWith(`@${domain}`))

    const first = spawnRapport(['worker'], env)
    cleanups.push(() => stop(first.child, 'SIGKILL').then(() => undefined))
    await eventually(async () => ours().length >= RECIPIENTS / 5, 60_000, 'the first worker to send a fifth')
    first.child.kill('SIGKILL')
    await first.exited
    const sentBeforeKill = ours().length
    expect(sentBeforeKill).toBeLessThan(RECIPIENTS)
    // Time passes for the dead worker's leases (120 s): move them to the past instead of waiting.
    await sql`update emails set lease_expires_at = now() - interval '1 second'
      where org_id = ${org.id} and status = 'queued' and leased_by is not null`.execute(db)

    const second = spawnRapport(['worker'], env)
    cleanups.push(() => stop(second.child, 'SIGTERM').then(() => undefined))
    await eventually(
      async () => {
        const left = await db
          .selectFrom('emails')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('org_id', '=', org.id)
          .where('status', '=', 'queued')
          .executeTakeFirstOrThrow()
        return left.n === 0
      },
      120_000,
      'every message sent',
    )

    const byRecipient = new Map<string, string[]>()
    for (const m of ours()) {
      const id = /^Message-ID: (.+)$/im.exec(m.raw)?.[1]?.trim() ?? ''
      byRecipient.set(m.to[0]!, [...(byRecipient.get(m.to[0]!) ?? []), id])
    }
    expect(byRecipient.size).toBe(RECIPIENTS)
    const twice = [...byRecipient.entries()].filter(([, ids]) => ids.length > 1)
    // At most the messages in flight at the kill: 10 sends at once per worker.
    expect(twice.length).toBeLessThanOrEqual(10)
    for (const [to, ids] of twice) {
      expect(ids.length, to).toBe(2)
      expect(ids[0], to).toBe(ids[1])
    }
    for (const r of rows) expect(byRecipient.get(r.to)?.[0]).toBe(r.messageId)
    const statuses = await db
      .selectFrom('emails')
      .select(['status', sql<number>`count(*)::int`.as('n')])
      .where('org_id', '=', org.id)
      .groupBy('status')
      .execute()
    expect(statuses).toEqual([{ status: 'delivered', n: RECIPIENTS }])
  }, 240_000)
})
