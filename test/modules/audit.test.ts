import { sql } from 'kysely'
import { afterEach, describe, expect, test } from 'vitest'
import { newId } from '../../src/lib/ids.js'
import { purgeOldAuditRows } from '../../src/modules/audit/audit.repo.js'
import { createEndpoint, eventually, webhookApp, worker } from '../delivery/fixtures.js'
import { type TestApp, testApp } from '../harness.js'
import { startReceiver } from '../receiver.js'

/* The audit log: every call made with a key or a session, webhook attempts, usage per day. */

const unique = () => Math.random().toString(36).slice(2, 10)
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

type Entry = Record<string, unknown> & { id: string; path: string; status: number | null; kind: string }

async function auditOf(h: TestApp, query = '', key = h.org.key): Promise<Entry[]> {
  await h.app.auditRecorder?.flush()
  const res = await h.api('GET', `/api/v1/audit_log${query}`, undefined, { authorization: `Bearer ${key}` })
  if (res.statusCode !== 200) throw new Error(res.body)
  // The audit call itself is recorded after it answers: it never sees itself.
  return res.json().data
}

describe('the audit log', () => {
  test('records each call with its method, path without query, status, key, address, duration and request id', async () => {
    const h = await testApp()
    const ok = await h.api('GET', '/api/v1/contacts?limit=5&q=secret')
    const bad = await h.api('POST', '/api/v1/contacts', { email: 'not an email' })
    const [second, first] = await auditOf(h)
    expect(first).toMatchObject({
      object: 'audit_entry',
      kind: 'api_call',
      method: 'GET',
      path: '/api/v1/contacts',
      status: 200,
      key_id: h.org.keyId,
      user_id: null,
      ip: '127.0.0.1',
      request_id: ok.headers['x-request-id'],
      endpoint_id: null,
    })
    expect(first!.duration_ms).toBeGreaterThan(0)
    expect(second).toMatchObject({ method: 'POST', status: 422, request_id: bad.headers['x-request-id'] })
  })

  test('filters by status class, exact status, method, path prefix, key and time', async () => {
    const h = await testApp()
    const other = await h.newKey(h.org.id)
    await h.api('GET', '/api/v1/contacts')
    await h.api('GET', '/api/v1/contacts/c_00000000000000000000000000')
    await h.api('GET', '/api/v1/deals', undefined, { authorization: `Bearer ${other}` })
    const before = new Date().toISOString()
    expect((await auditOf(h, '?status=4xx')).map((e) => e.status)).toEqual([404])
    // The earlier audit calls are recorded too: they are GET 200s of /api/v1/audit_log.
    const ok = (await auditOf(h, '?status=200')).map((e) => e.path).filter((p) => p !== '/api/v1/audit_log')
    expect(ok.sort()).toEqual(['/api/v1/contacts', '/api/v1/deals'])
    expect((await auditOf(h, '?path=/api/v1/contacts/')).map((e) => e.status)).toEqual([404])
    expect((await auditOf(h, '?method=POST')).length).toBe(0)
    const otherKeyId = (await auditOf(h, '?path=/api/v1/deals'))[0]!.key_id as string
    expect((await auditOf(h, `?key_id=${otherKeyId}`)).map((e) => e.path)).toEqual(['/api/v1/deals'])
    expect(await auditOf(h, `?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual([])
    expect((await auditOf(h, `?until=${encodeURIComponent(before)}`)).length).toBeGreaterThanOrEqual(3)
    expect((await h.api('GET', '/api/v1/audit_log?status=6xx')).statusCode).toBe(400)
  })

  test('another organization and the other mode see none of these rows', async () => {
    const h = await testApp()
    await h.api('GET', '/api/v1/contacts')
    const other = await h.newOrg()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    expect(await auditOf(h, '', other.key)).toEqual([])
    expect(await auditOf(h, '', testKey)).toEqual([])
    expect((await auditOf(h)).length).toBeGreaterThan(0)
  })

  test('pages newest first with a cursor, without repeats or gaps', async () => {
    const h = await testApp()
    for (let i = 0; i < 7; i++) await h.api('GET', `/api/v1/contacts?i=${i}`)
    await h.app.auditRecorder?.flush()
    const seen: string[] = []
    const times: string[] = []
    let cursor = ''
    for (;;) {
      const res = await h.api('GET', `/api/v1/audit_log?path=/api/v1/contacts&limit=3${cursor}`)
      const body = res.json()
      seen.push(...body.data.map((e: Entry) => e.id))
      times.push(...body.data.map((e: Entry) => e.occurred_at as string))
      if (!body.pagination.next_cursor) break
      cursor = `&cursor=${body.pagination.next_cursor}`
    }
    expect(seen).toHaveLength(7)
    expect(new Set(seen).size).toBe(7)
    expect([...times].sort().reverse()).toEqual(times)
  })

  test('a clean shutdown writes every pending row', async () => {
    const h = await testApp()
    const ids: string[] = []
    for (let i = 0; i < 20; i++) ids.push((await h.api('GET', '/api/v1/contacts')).headers['x-request-id'] as string)
    const db = h.deps.db
    await h.close()
    const rows = await db.selectFrom('audit_log').select('request_id').where('request_id', 'in', ids).execute()
    expect(rows).toHaveLength(20)
  })

  test('RAPPORT_AUDIT_LOG=off records nothing', async () => {
    const h = await testApp({ env: { RAPPORT_AUDIT_LOG: 'off' } })
    const id = (await h.api('GET', '/api/v1/contacts')).headers['x-request-id'] as string
    expect(h.app.auditRecorder).toBeUndefined()
    const rows = await h.deps.db.selectFrom('audit_log').select('id').where('request_id', '=', id).execute()
    expect(rows).toEqual([])
  })

  test('rows older than the retention are purged, newer ones kept', async () => {
    const h = await testApp()
    const row = (days: number) => ({
      id: newId('auditEntry'),
      org_id: h.org.id,
      livemode: true,
      occurred_at: new Date(Date.now() - days * 86_400_000),
      method: 'GET',
      path: `/api/v1/old-${unique()}`,
      status: 200,
      key_id: h.org.keyId,
      user_id: null,
      ip: null,
      duration_ms: 1,
      request_id: newId('request'),
    })
    const old = row(91)
    const recent = row(89)
    await h.deps.db.insertInto('audit_log').values([old, recent]).execute()
    expect(await purgeOldAuditRows(h.deps.db, 90)).toBeGreaterThanOrEqual(1)
    const left = await h.deps.db.selectFrom('audit_log').select('id').where('id', 'in', [old.id, recent.id]).execute()
    expect(left.map((r) => r.id)).toEqual([recent.id])
  })

  test('webhook delivery attempts appear beside the calls, with their endpoint, delivery and event', async () => {
    const h = await webhookApp()
    const rx = await startReceiver((_req, res) => res.writeHead(503).end('busy'))
    cleanups.push(rx.close)
    const { id: endpointId } = await createEndpoint(h, { url: rx.url })
    const w = await worker(h)
    cleanups.push(() => w.stop(2000))
    await h.api('POST', '/api/v1/contacts', { email: `a.${unique()}@example.com` })
    await rx.waitFor(1)
    let attempts: Entry[] = []
    await eventually(async () => {
      attempts = await auditOf(h, '?kind=webhook_attempt')
      return attempts.length > 0
    })
    expect(attempts[0]).toMatchObject({
      kind: 'webhook_attempt',
      method: 'POST',
      path: rx.url,
      status: 503,
      endpoint_id: endpointId,
      event_type: 'contact.created',
      key_id: null,
    })
    expect(attempts[0]!.delivery_id).toMatch(/^wd_/)
    expect((await auditOf(h, '?status=5xx')).map((e) => e.kind)).toEqual(['webhook_attempt'])
    expect((await auditOf(h, `?key_id=${h.org.keyId}`)).every((e) => e.kind === 'api_call')).toBe(true)
  })
})

describe('usage', () => {
  test('counts calls per day and key, with rate-limit rejections and errors, and names the keys', async () => {
    const h = await testApp({ env: { RAPPORT_RATE_LIMITS: 'teams=5' } })
    const key = await h.newKey(h.org.id)
    const as = { authorization: `Bearer ${key}` }
    for (let i = 0; i < 7; i++) await h.api('GET', '/api/v1/contacts', undefined, as)
    await h.app.auditRecorder?.flush()
    const res = await h.api('GET', '/api/v1/usage?days=7')
    expect(res.statusCode).toBe(200)
    const usage = res.json()
    const keyId = usage.keys.find((k: { name: string; id: string }) => k.id !== h.org.keyId)?.id
    const today = new Date().toISOString().slice(0, 10)
    expect(usage.days.find((d: { key_id: string }) => d.key_id === keyId)).toEqual({
      date: today,
      key_id: keyId,
      user_id: null,
      calls: 7,
      rate_limited: 2,
      errors: 2,
    })
    expect(usage.keys.map((k: { id: string }) => k.id)).toContain(keyId)
    expect(usage.since.slice(0, 10)).toBe(new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10))
  })

  test('the audit log and usage need the admin scope', async () => {
    const h = await testApp()
    const reader = await h.newKey(h.org.id, { scopes: ['read', 'write'] })
    for (const path of ['/api/v1/audit_log', '/api/v1/usage']) {
      const res = await h.api('GET', path, undefined, { authorization: `Bearer ${reader}` })
      expect(res.statusCode, path).toBe(403)
    }
    // A sanity check of the SQL the list relies on: the table exists with its index.
    const idx = await sql<{
      n: number
    }>`select count(*)::int as n from pg_indexes where indexname = 'audit_log_org'`.execute(h.deps.db)
    expect(idx.rows[0]!.n).toBe(1)
  })
})
