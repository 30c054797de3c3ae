import { request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sql } from 'kysely'
import { describe, expect, test } from 'vitest'
import { IMPORT_BATCH_ROWS } from '../../src/modules/contacts/bulk/import-reader.js'
import { type TestApp, testApp } from '../harness.js'

const URL = '/api/v1/contacts/import'

function importCsv(h: TestApp, csv: string) {
  return h.app.inject({
    method: 'POST',
    url: URL,
    headers: { authorization: `Bearer ${h.org.key}`, 'content-type': 'text/csv' },
    payload: csv,
  })
}

async function contactCount(h: TestApp): Promise<number> {
  const row = await h.deps.db
    .selectFrom('contacts')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('org_id', '=', h.org.id)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

async function until(check: () => Promise<boolean>, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error('timed out')
}

describe('POST /api/v1/contacts/import limits', () => {
  test('a file over 5 MB is a 413 payload_too_large that points to POST /api/v1/imports', async () => {
    const h = await testApp()
    const row = 'Someone,someone@example.com,a rather long company name to fill the file\n'
    const csv = `name,email,company\n${row.repeat(Math.ceil((5 * 1024 * 1024) / row.length) + 10)}`
    const res = await importCsv(h, csv)
    expect(res.statusCode).toBe(413)
    expect(res.json().error.code).toBe('payload_too_large')
    expect(res.json().error.message).toContain('POST /api/v1/imports')
    expect(await contactCount(h)).toBe(0)
  })

  test('rows sharing one email are folded into one write per batch, not one write per row', async () => {
    const h = await testApp()
    // Count the row writes to this organization's contacts with a trigger: one write per row in one
    // transaction is what made such a file quadratic (each write left a version the next lookup
    // stepped over: 3,000 rows took over a minute on the embedded database).
    const suffix = h.org.id.replace(/[^a-z0-9]/g, '')
    const counter = sql.raw(`import_writes_${suffix}`)
    const fn = sql.raw(`count_import_writes_${suffix}`)
    await sql`create table ${counter} (op text not null)`.execute(h.deps.db)
    await sql`create function ${fn}() returns trigger language plpgsql as $$
      begin insert into ${counter} values (tg_op); return null; end $$`.execute(h.deps.db)
    await sql`create trigger ${fn} after insert or update on contacts for each row
      when (new.org_id = ${sql.lit(h.org.id)}) execute function ${fn}()`.execute(h.deps.db)
    try {
      const rows = Array.from({ length: 3000 }, (_, i) => `Name ${i},same@example.com,${i % 2 ? 'x' : ''}`)
      const res = await importCsv(h, `name,email,tags\n${rows.join('\n')}\n`)
      expect(res.json()).toMatchObject({ imported: 1, updated: 2999, skipped: 0 })
      const contacts = await h.deps.db
        .selectFrom('contacts')
        .selectAll()
        .where('org_id', '=', h.org.id)
        .where('email', '=', 'same@example.com')
        .execute()
      expect(contacts).toHaveLength(1)
      // Last wins: the last row's name; its empty tags cell keeps the tags of the row before.
      expect(contacts[0]).toMatchObject({ name: 'Name 2999', tags: ['x'] })
      const writes = await sql<{ op: string; n: number }>`
        select op, count(*)::int as n from ${counter} group by op order by op`.execute(h.deps.db)
      // 3,000 rows are 6 batches of 500: one insert, then at most one update per later batch.
      const batches = Math.ceil(3000 / IMPORT_BATCH_ROWS)
      expect(writes.rows.find((r) => r.op === 'INSERT')?.n).toBe(1)
      expect(writes.rows.find((r) => r.op === 'UPDATE')?.n ?? 0).toBeLessThanOrEqual(batches)
    } finally {
      await sql`drop trigger ${fn} on contacts`.execute(h.deps.db)
      await sql`drop function ${fn}()`.execute(h.deps.db)
      await sql`drop table ${counter}`.execute(h.deps.db)
    }
  })

  test('stops after the batch in flight when the client disconnects, and tells what it wrote', async () => {
    const h = await testApp()
    await h.app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = h.app.server.address() as AddressInfo
    const total = 40_000
    const rows = Array.from({ length: total }, (_, i) => `n${i},n${i}@example.com`)
    const body = `name,email\n${rows.join('\n')}\n`
    const req = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: URL,
      headers: { authorization: `Bearer ${h.org.key}`, 'content-type': 'text/csv' },
    })
    req.on('error', () => {})
    req.end(body)
    await until(async () => (await contactCount(h)) > 0)
    req.destroy()
    // Once the batch in flight has committed, nothing more is written.
    let last = -1
    await until(async () => {
      const events = await h.eventTypes()
      if (!events.includes('contact.imported')) return false
      const now = await contactCount(h)
      const stable = now === last
      last = now
      return stable
    })
    expect(last).toBeLessThan(total)
    expect(last % 500).toBe(0)
    const event = (await h.api('GET', '/api/v1/events?type=contact.imported')).json().data[0]
    expect(event.data).toMatchObject({ count: last, created: last, import_id: null })
  })
})
