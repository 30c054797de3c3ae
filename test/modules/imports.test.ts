import { sql } from 'kysely'
import { describe, expect, test } from 'vitest'
import { type RunControl, runClaimedImport } from '../../src/modules/imports/import-runner.js'
import { startImportWorker } from '../../src/modules/imports/import-worker.js'
import { claimImport } from '../../src/modules/imports/imports.repo.js'
import { withoutTagCreations } from '../fixtures.js'
import { type TestApp, testApp } from '../harness.js'

const LEASE_MS = 60_000

/** A clock the test moves by hand: leases expire when the test says so. */
function handClock(startMs = Date.parse('2026-03-01T00:00:00Z')) {
  let now = startMs
  return { nowMs: () => now, advance: (ms: number) => (now += ms) }
}
type HandClock = ReturnType<typeof handClock>

function upload(h: TestApp, csv: string, opts: { query?: string; key?: string } = {}) {
  return h.app.inject({
    method: 'POST',
    url: `/api/v1/imports${opts.query ?? ''}`,
    headers: { authorization: `Bearer ${opts.key ?? h.org.key}`, 'content-type': 'text/csv' },
    payload: csv,
  })
}

function runner(h: TestApp, clock: HandClock) {
  return { db: h.deps.db, clock, log: h.app.log, leaseMs: LEASE_MS, batchRows: 500 }
}

/**
 * Claims the next job of this test's organization as `workerId` and runs it; undefined when there
 * was none to claim. Jobs of other test files (one PostgreSQL database) are run to the end on the way.
 */
async function runNext(h: TestApp, clock: HandClock, workerId: string, control: RunControl = {}) {
  for (;;) {
    const job = await claimImport(h.deps.db, workerId, new Date(clock.nowMs()), LEASE_MS)
    if (!job) return undefined
    if (job.org_id === h.org.id) {
      return { job, outcome: await runClaimedImport(runner(h, clock), job, workerId, control) }
    }
    await runClaimedImport(runner(h, clock), job, workerId)
  }
}

async function contactEmails(h: TestApp) {
  const rows = await h.deps.db
    .selectFrom('contacts')
    .select('email')
    .where('org_id', '=', h.org.id)
    .where('livemode', '=', true)
    .execute()
  return rows.map((r) => r.email)
}

async function eventsOf(h: TestApp, type: string) {
  const res = await h.api('GET', `/api/v1/events?type=${type}`)
  return res.json().data.filter((e: { event: string }) => e.event === type)
}

const rowsOf = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `Person ${from + i},p${from + i}@example.com`).join('\n')

describe('POST /api/v1/imports', () => {
  test('answers 202 with a queued imp_ job that a worker completes, reporting counts, first errors and events', async () => {
    const clock = handClock()
    const h = await testApp({ clock })
    await h.api('POST', '/api/v1/contacts', { email: 'p1@example.com', name: 'Old' })
    const csv = `name,email,tags\n${rowsOf(3)},vip\nBad,not-an-email,\n,,\n`
    const res = await upload(h, csv)
    expect(res.statusCode).toBe(202)
    const created = res.json()
    expect(created).toMatchObject({
      object: 'import',
      status: 'queued',
      file_name: null,
      bytes: Buffer.byteLength(csv),
      rows_read: 0,
      created: 0,
      imported_by: h.org.keyId,
      started_at: null,
    })
    expect(created.id).toMatch(/^imp_[0-9a-z]{26}$/)
    expect(await contactEmails(h)).toEqual(['p1@example.com'])

    expect((await runNext(h, clock, 'wi_a'))?.outcome).toBe('completed')
    const done = (await h.api('GET', `/api/v1/imports/${created.id}`)).json()
    expect(done).toMatchObject({
      status: 'completed',
      rows_total: 5,
      rows_read: 5,
      created: 2,
      updated: 1,
      failed: 2,
      error: null,
      first_errors: [
        { row: 5, message: 'email: Must be a valid email' },
        { row: 6, message: 'A contact needs at least a name, an email or a phone' },
      ],
    })
    expect(done.finished_at).toBe(new Date(clock.nowMs()).toISOString())
    expect(withoutTagCreations(await h.eventTypes()).filter((t) => t !== 'contact.created')).toEqual([
      'contact.imported',
      'import.completed',
    ])
    const [imported] = await eventsOf(h, 'contact.imported')
    expect(imported.data).toEqual({
      count: 3,
      created: 2,
      updated: 1,
      failed: 2,
      source: 'csv',
      import_id: created.id,
      imported_by: h.org.keyId,
    })
    const [completed] = await eventsOf(h, 'import.completed')
    expect(completed.data).toMatchObject({ id: created.id, status: 'completed', rows_read: 5, failed: 2 })

    const report = await h.api('GET', `/api/v1/imports/${created.id}/errors`)
    expect(report.statusCode).toBe(200)
    expect(report.headers['content-type']).toMatch(/^text\/csv/)
    expect(report.headers['content-disposition']).toBe(`attachment; filename="${created.id}-errors.csv"`)
    expect(report.body).toBe(
      'row,message\r\n5,"email: Must be a valid email"\r\n6,"A contact needs at least a name, an email or a phone"\r\n',
    )
    // The stored file is dropped once the job has ended.
    const chunks = await h.deps.db
      .selectFrom('import_chunks')
      .select('seq')
      .where('import_id', '=', created.id)
      .execute()
    expect(chunks).toEqual([])
  })

  test('takes multipart uploads with a file name and a mapping, and lists imports newest first with paging', async () => {
    const clock = handClock()
    const h = await testApp({ clock })
    const boundary = '----rapport-imports'
    const payload =
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="people.csv"\r\nContent-Type: text/csv\r\n\r\n` +
      `Full Name,E-mail,Notes\nJane,jane@example.com,hello\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="mapping"\r\n\r\n{"Full Name":"name","E-mail":"email","Notes":null}\r\n--${boundary}--\r\n`
    const first = await h.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { authorization: `Bearer ${h.org.key}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    })
    expect(first.statusCode).toBe(202)
    expect(first.json().file_name).toBe('people.csv')
    const second = (await upload(h, 'email\nsam@example.com\n')).json()
    while (await runNext(h, clock, 'wi_a')) {}
    const page1 = (await h.api('GET', '/api/v1/imports?limit=1')).json()
    expect(page1.data.map((i: { id: string }) => i.id)).toEqual([second.id])
    expect(page1.data[0].first_errors).toBeUndefined()
    expect(page1.pagination).toMatchObject({ total: 2, has_more: true })
    const page2 = (await h.api('GET', `/api/v1/imports?limit=1&cursor=${page1.pagination.next_cursor}`)).json()
    expect(page2.data.map((i: { id: string }) => i.id)).toEqual([first.json().id])
    const contacts = await h.deps.db.selectFrom('contacts').selectAll().where('org_id', '=', h.org.id).execute()
    expect(contacts.find((c) => c.email === 'jane@example.com')).toMatchObject({ name: 'Jane', custom_fields: {} })
  })

  test('with an Idempotency-Key, the same file replays the first job and another file is a 422', async () => {
    const clock = handClock()
    const h = await testApp({ clock })
    const send = (csv: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/imports',
        headers: { authorization: `Bearer ${h.org.key}`, 'content-type': 'text/csv', 'idempotency-key': 'import-1' },
        payload: csv,
      })
    const first = await send('email\nonce@example.com\n')
    expect(first.statusCode).toBe(202)
    const again = await send('email\nonce@example.com\n')
    expect(again.statusCode).toBe(202)
    expect(again.json().id).toBe(first.json().id)
    const other = await send('email\nother@example.com\n')
    expect(other.statusCode).toBe(422)
    expect(other.json().error.code).toBe('idempotency_key_reused')
    expect((await h.api('GET', '/api/v1/imports')).json().data).toHaveLength(1)
    while (await runNext(h, clock, 'wi_a')) {}
  })

  test('a bad mapping or a header without name, email or phone is a 422 and stores nothing', async () => {
    const h = await testApp()
    const bad = await upload(h, 'a\n1\n', { query: `?mapping=${encodeURIComponent('{"a":"nope"}')}` })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error.details[0].field).toBe('mapping.a')
    const noKey = await upload(h, 'company\nAcme\n')
    expect(noKey.statusCode).toBe(422)
    expect(noKey.json().error.details[0].field).toBe('file')
    expect((await upload(h, '')).statusCode).toBe(422)
    expect((await h.api('GET', '/api/v1/imports')).json().data).toEqual([])
  })

  test('a file that is not valid CSV fails the job before any row is written, with import.failed', async () => {
    const clock = handClock()
    const h = await testApp({ clock })
    const created = (await upload(h, `name,email\n${rowsOf(1200)}\n"unterminated,x@example.com\n`)).json()
    expect((await runNext(h, clock, 'wi_a'))?.outcome).toBe('failed')
    const failed = (await h.api('GET', `/api/v1/imports/${created.id}`)).json()
    expect(failed).toMatchObject({ status: 'failed', rows_read: 0, created: 0 })
    expect(failed.error).toMatch(/^The CSV is malformed near line 1202/)
    expect(await contactEmails(h)).toEqual([])
    expect(await h.eventTypes()).toEqual(['import.failed'])
  })

  test('a worker that dies mid-import leaves whole batches; another resumes after the last one once the lease expires', async () => {
    const clock = handClock()
    const h = await testApp({ clock })
    const created = (await upload(h, `name,email\n${rowsOf(2300)}\n`)).json()
    // Worker A commits two batches of 500 and dies, keeping its lease.
    expect((await runNext(h, clock, 'wi_a', { stopAfterBatches: 2 }))?.outcome).toBe('abandoned')
    const midway = (await h.api('GET', `/api/v1/imports/${created.id}`)).json()
    expect(midway).toMatchObject({ status: 'running', rows_total: 2300, rows_read: 1000, created: 1000 })
    expect(await contactEmails(h)).toHaveLength(1000)
    // While the lease holds, nobody else takes the job.
    expect(await runNext(h, clock, 'wi_b')).toBeUndefined()
    clock.advance(LEASE_MS + 1)
    const resumed = await runNext(h, clock, 'wi_b')
    expect(resumed?.job.rows_read).toBe(1000)
    expect(resumed?.outcome).toBe('completed')
    const done = (await h.api('GET', `/api/v1/imports/${created.id}`)).json()
    expect(done).toMatchObject({ status: 'completed', rows_read: 2300, created: 2300, updated: 0, failed: 0 })
    const emails = await contactEmails(h)
    expect(emails).toHaveLength(2300)
    expect(new Set(emails).size).toBe(2300)
    expect(withoutTagCreations(await h.eventTypes())).toEqual(['contact.imported', 'import.completed'])
    expect((await eventsOf(h, 'contact.imported'))[0].data).toMatchObject({ count: 2300, created: 2300 })
  })

  test('an import that creates thousands of contacts refreshes the planner statistics of contacts as it goes', async () => {
    const clock = handClock()
    const h = await testApp({ clock })
    const manualAnalyzes = async () => {
      const { rows } = await sql<{ n: string }>`
        select analyze_count as n from pg_stat_user_tables where schemaname = 'public' and relname = 'contacts'`.execute(
        h.deps.db,
      )
      return Number(rows[0]?.n ?? 0)
    }
    const before = await manualAnalyzes()
    await upload(h, `name,email\n${rowsOf(5000)}\n`)
    expect((await runNext(h, clock, 'wi_a'))?.outcome).toBe('completed')
    expect(await manualAnalyzes()).toBeGreaterThan(before)
  })

  test('a worker whose lease was taken over writes nothing more: its batch in flight rolls back whole', async () => {
    const clock = handClock()
    const h = await testApp({ clock })
    const created = (await upload(h, `name,email\n${rowsOf(1500)}\n`)).json()
    const a = await runNext(h, clock, 'wi_a', { stopAfterBatches: 1 })
    expect(await contactEmails(h)).toHaveLength(500)
    clock.advance(LEASE_MS + 1)
    const bJob = await claimImport(h.deps.db, 'wi_b', new Date(clock.nowMs()), LEASE_MS)
    expect(bJob?.id).toBe(created.id)
    // A wakes up and carries on from where it was: its next batch finds the lease gone and rolls back.
    const stale = { ...a!.job, rows_read: 500, rows_total: 1500 }
    expect(await runClaimedImport(runner(h, clock), stale, 'wi_a')).toBe('lost')
    expect(await contactEmails(h)).toHaveLength(500)
    expect(await runClaimedImport(runner(h, clock), bJob!, 'wi_b')).toBe('completed')
    expect((await h.api('GET', `/api/v1/imports/${created.id}`)).json()).toMatchObject({
      rows_read: 1500,
      created: 1500,
    })
    expect(await contactEmails(h)).toHaveLength(1500)
  })

  test('a graceful stop gives the job back after the batch in flight, and the next claim resumes it uncounted', async () => {
    const clock = handClock()
    const h = await testApp({ clock })
    const created = (await upload(h, `name,email\n${rowsOf(1200)}\n`)).json()
    const stopping = new AbortController()
    stopping.abort()
    expect((await runNext(h, clock, 'wi_a', { signal: stopping.signal }))?.outcome).toBe('released')
    const row = await h.deps.db.selectFrom('imports').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      status: 'running',
      rows_read: 500,
      attempts: 0,
      leased_by: null,
      lease_expires_at: null,
    })
    // Due again at once: no lease to wait out.
    const next = await runNext(h, clock, 'wi_b')
    expect(next?.job).toMatchObject({ rows_read: 500, attempts: 1 })
    expect(next?.outcome).toBe('completed')
    expect(await contactEmails(h)).toHaveLength(1200)
  })

  test('a job whose workers keep dying fails cleanly after 3 claims, keeping what was written', async () => {
    const clock = handClock()
    const h = await testApp({ clock })
    const created = (await upload(h, `name,email\n${rowsOf(1200)}\n`)).json()
    for (const worker of ['wi_1', 'wi_2', 'wi_3']) {
      expect((await runNext(h, clock, worker, { stopAfterBatches: 1 }))?.outcome).toBe('abandoned')
      clock.advance(LEASE_MS + 1)
    }
    expect((await runNext(h, clock, 'wi_4'))?.outcome).toBe('failed')
    const failed = (await h.api('GET', `/api/v1/imports/${created.id}`)).json()
    expect(failed).toMatchObject({ status: 'failed', rows_read: 1200, created: 1200 })
    expect(failed.error).toMatch(/interrupted 3 times/)
    expect(withoutTagCreations(await h.eventTypes())).toEqual(['contact.imported', 'import.failed'])
  })

  test('imports are visible only to their organization and mode', async () => {
    const clock = handClock()
    const h = await testApp({ clock })
    const created = (await upload(h, 'email\nmine@example.com\n')).json()
    const other = await h.newOrg()
    const asOther = { authorization: `Bearer ${other.key}` }
    expect((await h.api('GET', `/api/v1/imports/${created.id}`, undefined, asOther)).statusCode).toBe(404)
    expect((await h.api('GET', `/api/v1/imports/${created.id}/errors`, undefined, asOther)).statusCode).toBe(404)
    expect((await h.api('GET', '/api/v1/imports', undefined, asOther)).json().data).toEqual([])
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    expect(
      (await h.api('GET', `/api/v1/imports/${created.id}`, undefined, { authorization: `Bearer ${testKey}` }))
        .statusCode,
    ).toBe(404)
    while (await runNext(h, clock, 'wi_a')) {}
  })

  test('the worker role picks a queued import up when woken and completes it', async () => {
    const h = await testApp()
    const worker = await startImportWorker({
      db: h.deps.db,
      clock: h.deps.clock,
      log: h.app.log,
      listen: h.deps.listen,
      pollMs: 100,
    })
    try {
      const created = (await upload(h, `name,email\n${rowsOf(700)}\n`)).json()
      worker.wake()
      const end = Date.now() + 30_000
      let status = created.status
      while (status !== 'completed' && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 50))
        status = (await h.api('GET', `/api/v1/imports/${created.id}`)).json().status
      }
      expect(status).toBe('completed')
      expect(await contactEmails(h)).toHaveLength(700)
    } finally {
      await worker.stop()
    }
  })
})
