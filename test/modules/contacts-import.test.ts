import { describe, expect, test } from 'vitest'
import { withoutTagCreations } from '../fixtures.js'
import { type TestApp, testApp } from '../harness.js'

const URL = '/api/v1/contacts/import'

function importCsv(h: TestApp, csv: string, opts: { query?: string; headers?: Record<string, string> } = {}) {
  return h.app.inject({
    method: 'POST',
    url: `${URL}${opts.query ?? ''}`,
    headers: { authorization: `Bearer ${h.org.key}`, 'content-type': 'text/csv', ...opts.headers },
    payload: csv,
  })
}

function multipartBody(parts: { name: string; value: string; filename?: string }[]) {
  const boundary = '----rapport-test-boundary'
  const body = parts
    .map(
      (p) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}\r\n` +
        `${p.filename ? 'Content-Type: text/csv\r\n' : ''}\r\n${p.value}\r\n`,
    )
    .join('')
  return { payload: `${body}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` }
}

async function contactsOf(h: TestApp) {
  return h.deps.db
    .selectFrom('contacts')
    .selectAll()
    .where('org_id', '=', h.org.id)
    .where('livemode', '=', true)
    .orderBy('email')
    .execute()
}

describe('POST /api/v1/contacts/import', () => {
  test('imports rows from a text/csv body with tags, custom fields and source import, emitting one contact.imported', async () => {
    const h = await testApp()
    const csv = [
      'Name,Email,Phone,Company,Status,Tags,External ID,custom_fields.plan,Favourite colour',
      'Jane Doe,jane@example.com,+1-555-0100,Acme,Customer,vip; Lead,crm-1,pro,blue',
      'Sam Roe,sam@example.com,,,,,,,',
    ].join('\n')
    const res = await importCsv(h, csv)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ imported: 2, updated: 0, skipped: 0, errors: [], errors_truncated: false })
    const [jane, sam] = await contactsOf(h)
    expect(jane).toMatchObject({
      name: 'Jane Doe',
      phone: '+1-555-0100',
      company: 'Acme',
      status: 'customer',
      source: 'import',
      external_id: 'crm-1',
      tags: ['vip', 'Lead'],
      custom_fields: { plan: 'pro', 'Favourite colour': 'blue' },
    })
    expect(sam).toMatchObject({ name: 'Sam Roe', status: 'lead', tags: [], custom_fields: {}, external_id: null })
    expect(withoutTagCreations(await h.eventTypes())).toEqual(['contact.imported'])
    const event = (await h.api('GET', '/api/v1/events')).json().data[0]
    expect(event.data).toEqual({
      count: 2,
      created: 2,
      updated: 0,
      failed: 0,
      source: 'csv',
      import_id: null,
      imported_by: h.org.keyId,
    })
  })

  test('updates contacts matched by email in any letter case, keeping the fields a row leaves empty', async () => {
    const h = await testApp()
    const existing = (
      await h.api('POST', '/api/v1/contacts', {
        name: 'Jane',
        email: 'jane@example.com',
        phone: '+1-555-0100',
        tags: ['old'],
        custom_fields: { seats: 3 },
      })
    ).json()
    const res = await importCsv(h, 'email,company,tags,custom_fields.plan\nJANE@example.com,Acme,new,pro\n')
    expect(res.json()).toMatchObject({ imported: 0, updated: 1, skipped: 0 })
    const after = (await h.api('GET', `/api/v1/contacts/${existing.id}`)).json()
    expect(after).toMatchObject({
      name: 'Jane',
      email: 'JANE@example.com',
      phone: '+1-555-0100',
      company: 'Acme',
      tags: ['new'],
      custom_fields: { seats: 3, plan: 'pro' },
      source: 'api',
    })
  })

  test('skips bad rows with spreadsheet row numbers and imports the rest', async () => {
    const h = await testApp()
    const csv = [
      'name,email,phone,status',
      'Good One,good1@example.com,,',
      'Bad Email,not-an-email,,',
      ',,,lead',
      'Bad Status,status@example.com,,vip',
      'Good Two,good2@example.com,,prospect',
      'Too,many@example.com,,lead,extra',
    ].join('\r\n')
    const res = await importCsv(h, csv)
    expect(res.json()).toEqual({
      imported: 2,
      updated: 0,
      skipped: 4,
      errors: [
        { row: 3, message: 'email: Must be a valid email' },
        { row: 4, message: 'A contact needs at least a name, an email or a phone' },
        { row: 5, message: 'status: Must be one of: lead, prospect, customer, churned' },
        { row: 7, message: 'Has 5 cells but the header has 4' },
      ],
      errors_truncated: false,
    })
    expect((await contactsOf(h)).map((c) => c.email)).toEqual(['good1@example.com', 'good2@example.com'])
  })

  test('a later row with the same email updates what the earlier row wrote (last wins)', async () => {
    const h = await testApp()
    const res = await importCsv(h, 'name,email\nFirst,dup@example.com\nSecond,DUP@example.com\n')
    expect(res.json()).toMatchObject({ imported: 1, updated: 1, skipped: 0 })
    const all = await contactsOf(h)
    expect(all).toHaveLength(1)
    expect(all[0]).toMatchObject({ name: 'Second', email: 'DUP@example.com' })
  })

  test('rows without email upsert by external_id; an external_id of another contact is reported', async () => {
    const h = await testApp()
    await h.api('POST', '/api/v1/contacts', { email: 'a@example.com', external_id: 'ext-a' })
    await h.api('POST', '/api/v1/contacts', { email: 'b@example.com', external_id: 'ext-b' })
    const res = await importCsv(h, 'name,email,external_id\nBy External,,ext-a\nStolen,b@example.com,ext-a\n')
    expect(res.json()).toMatchObject({
      imported: 0,
      updated: 1,
      skipped: 1,
      errors: [{ row: 3, message: 'external_id ext-a belongs to another contact' }],
    })
    const [a, b] = await contactsOf(h)
    expect(a).toMatchObject({ name: 'By External', external_id: 'ext-a' })
    expect(b).toMatchObject({ name: null, external_id: 'ext-b' })
  })

  test('applies a mapping from the query: renames columns and ignores the ones mapped to null', async () => {
    const h = await testApp()
    const mapping = encodeURIComponent(JSON.stringify({ 'E-mail': 'email', Plan: 'custom_fields.plan', Notes: null }))
    const res = await importCsv(h, 'Full Name,E-mail,Plan,Notes\nJane,jane@example.com,teams,secret\n', {
      query: `?mapping=${mapping}`,
    })
    expect(res.json()).toMatchObject({ imported: 1 })
    expect((await contactsOf(h))[0]).toMatchObject({
      email: 'jane@example.com',
      custom_fields: { 'Full Name': 'Jane', plan: 'teams' },
    })
  })

  test('rejects a bad mapping, a header without name/email/phone, and an empty file with 422', async () => {
    const h = await testApp()
    const bad = await importCsv(h, 'a\n1\n', { query: `?mapping=${encodeURIComponent('{"a":"nope"}')}` })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error.details[0].field).toBe('mapping.a')
    const notJson = await importCsv(h, 'a\n1\n', { query: '?mapping=nope' })
    expect(notJson.json().error.details[0].field).toBe('mapping')
    const noKey = await importCsv(h, 'company\nAcme\n')
    expect(noKey.statusCode).toBe(422)
    expect(noKey.json().error.details[0].field).toBe('file')
    expect((await importCsv(h, '')).statusCode).toBe(422)
    expect(await h.eventTypes()).toEqual([])
  })

  test('a malformed CSV is a 422 and imports nothing (the file is checked before any write)', async () => {
    const h = await testApp()
    const rows = Array.from({ length: 1200 }, (_, i) => `n${i},n${i}@example.com`)
    const res = await importCsv(h, `name,email\n${rows.join('\n')}\n"unterminated,x@example.com\n`)
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details[0].field).toBe('file')
    expect(await contactsOf(h)).toEqual([])
    expect(await h.eventTypes()).toEqual([])
  })

  test('accepts multipart/form-data with a file part and a mapping part', async () => {
    const h = await testApp()
    const { payload, contentType } = multipartBody([
      { name: 'mapping', value: JSON.stringify({ Mail: 'email' }) },
      { name: 'file', filename: 'contacts.csv', value: 'Name,Mail\nJane,jane@example.com\n' },
    ])
    const res = await importCsv(h, payload, { headers: { 'content-type': contentType } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ imported: 1 })
    expect((await contactsOf(h))[0]).toMatchObject({ name: 'Jane', email: 'jane@example.com' })
  })

  test('multipart without a file part is a 422, and a JSON body is a 415', async () => {
    const h = await testApp()
    const { payload, contentType } = multipartBody([{ name: 'mapping', value: '{}' }])
    const noFile = await importCsv(h, payload, { headers: { 'content-type': contentType } })
    expect(noFile.statusCode).toBe(422)
    expect(noFile.json().error.details).toEqual([{ field: 'file', message: 'This field is required' }])
    const json = await h.api('POST', URL, { email: 'x@example.com' })
    expect(json.statusCode).toBe(415)
    expect(json.json().error.code).toBe('unsupported_media_type')
  })

  test('with an Idempotency-Key, the same file replays and another file is a 422', async () => {
    const h = await testApp()
    const key = { 'idempotency-key': 'import-1' }
    const first = await importCsv(h, 'email\na@example.com\n', { headers: key })
    const replay = await importCsv(h, 'email\na@example.com\n', { headers: key })
    expect(replay.statusCode).toBe(200)
    expect(replay.headers['idempotent-replayed']).toBe('true')
    expect(replay.json()).toEqual(first.json())
    const other = await importCsv(h, 'email\nb@example.com\n', { headers: key })
    expect(other.statusCode).toBe(422)
    expect(other.json().error.code).toBe('idempotency_key_reused')
    expect(await h.eventTypes()).toEqual(['contact.imported'])
  })

  test('caps the errors list at 1,000 and says so, with exact counts', async () => {
    const h = await testApp()
    const bad = Array.from({ length: 1005 }, (_, i) => `x${i},not-an-email`)
    const res = await importCsv(h, `name,email\n${bad.join('\n')}\nok,ok@example.com\n`)
    const body = res.json()
    expect(body).toMatchObject({ imported: 1, skipped: 1005, errors_truncated: true })
    expect(body.errors).toHaveLength(1000)
    expect(body.errors[0].row).toBe(2)
  })

  test('imports into the caller’s mode only', async () => {
    const h = await testApp()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    await importCsv(h, 'email\nsandbox@example.com\n', { headers: { authorization: `Bearer ${testKey}` } })
    expect(await contactsOf(h)).toEqual([])
    expect(await h.eventTypes(h.org, false)).toEqual(['contact.imported'])
  })
})
