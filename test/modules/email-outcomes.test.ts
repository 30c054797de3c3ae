import { afterEach, describe, expect, test } from 'vitest'
import { claimDueEmails, recordSends } from '../../src/modules/email/outbox.repo.js'
import { testApp } from '../harness.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

describe('recording a batch of send outcomes (recordSends)', () => {
  test('writes each outcome with its history and events in one call, fans the events out to webhooks, and skips a message whose lease was lost', async () => {
    // The endpoint is a closed loopback port: a delivery worker of another file sharing the
    // database (PostgreSQL) may try it, and must reach nothing beyond this machine.
    const h = await testApp({ env: { RAPPORT_WEBHOOK_ALLOW_PRIVATE: '1' } })
    expect((await h.api('POST', '/api/v1/senders', { email: 'batch@acme.example' })).statusCode).toBe(201)
    const endpoint = await h.api('POST', '/api/v1/webhook_endpoints', {
      url: 'http://127.0.0.1:9/rapport-email-outcomes',
      events: ['email.sent', 'email.delivered'],
    })
    expect(endpoint.statusCode).toBe(201)
    cleanups.push(async () => {
      await h.api('DELETE', `/api/v1/webhook_endpoints/${endpoint.json().id}`)
    })
    const ids: string[] = []
    for (const to of ['a', 'b', 'c', 'd']) {
      const res = await h.api('POST', '/api/v1/emails', { to: `${to}@example.com`, subject: 'S', text: 'T' })
      ids.push(res.json().id)
    }
    const claimed = await claimDueEmails(h.deps.db, 'ew_batch', 3, 60_000, [h.org.id])
    const [late] = await claimDueEmails(h.deps.db, 'ew_other', 3, 60_000, [h.org.id])
    expect(claimed.map((e) => e.id).sort()).toEqual(ids.slice(0, 3).sort())
    const byId = (id: string) => claimed.find((e) => e.id === id)!
    const retryAt = new Date(Date.now() + 60_000)

    const recorded = await recordSends(h.deps.db, 'ew_batch', [
      { email: byId(ids[0]!), record: { kind: 'sent', transport: 'smtp', isDelivered: true, response: '250 OK' } },
      { email: byId(ids[1]!), record: { kind: 'deferred', error: '451 later', nextAttemptAt: retryAt } },
      { email: byId(ids[2]!), record: { kind: 'failed', error: '550 no such user' } },
      // Claimed by another worker: this one's record is refused.
      { email: late!, record: { kind: 'sent', transport: 'smtp', isDelivered: true, response: '250 OK' } },
    ])
    expect(recorded).toEqual([true, true, true, false])

    const rows = await h.deps.db
      .selectFrom('emails')
      .select([
        'id',
        'status',
        'attempt_count',
        'leased_by',
        'last_error',
        'delivered_at',
        'failed_at',
        'next_attempt_at',
      ])
      .where('id', 'in', ids)
      .execute()
    const row = (id: string) => rows.find((r) => r.id === id)!
    expect(row(ids[0]!)).toMatchObject({ status: 'delivered', attempt_count: 1, leased_by: null, last_error: null })
    expect(row(ids[0]!).delivered_at).toBeInstanceOf(Date)
    expect(row(ids[1]!)).toMatchObject({ status: 'queued', attempt_count: 1, leased_by: null, last_error: '451 later' })
    expect(row(ids[1]!).next_attempt_at.getTime()).toBe(retryAt.getTime())
    expect(row(ids[2]!)).toMatchObject({ status: 'failed', attempt_count: 1, last_error: '550 no such user' })
    expect(row(ids[2]!).failed_at).toBeInstanceOf(Date)
    expect(row(ids[3]!)).toMatchObject({ status: 'queued', attempt_count: 0, leased_by: 'ew_other' })

    const history = await h.deps.db
      .selectFrom('email_events')
      .select(['email_id', 'type', 'detail'])
      .where('email_id', 'in', ids)
      .orderBy('id')
      .execute()
    expect(history.filter((e) => e.type !== 'queued')).toEqual([
      { email_id: ids[0], type: 'sent', detail: null },
      { email_id: ids[0], type: 'delivered', detail: '250 OK' },
      { email_id: ids[1], type: 'deferred', detail: '451 later' },
      { email_id: ids[2], type: 'failed', detail: '550 no such user' },
    ])
    const events = await h.deps.db
      .selectFrom('events')
      .select(['id', 'type', 'data'])
      .where('org_id', '=', h.org.id)
      .where('type', 'like', 'email.%')
      .orderBy('id')
      .execute()
    expect(events.map((e) => [e.type, e.data.id])).toEqual([
      ['email.sent', ids[0]],
      ['email.delivered', ids[0]],
    ])
    const deliveries = await h.deps.db
      .selectFrom('webhook_deliveries')
      .select(['event_id', 'event_type', 'endpoint_id'])
      .where('org_id', '=', h.org.id)
      .orderBy('id')
      .execute()
    expect(deliveries).toEqual(
      events.map((e) => ({ event_id: e.id, event_type: e.type, endpoint_id: endpoint.json().id })),
    )
  })
})
