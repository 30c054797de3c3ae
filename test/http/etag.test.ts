import { describe, expect, test } from 'vitest'
import { testApp } from '../harness.js'

describe('ETag and If-Match on contacts', () => {
  test('GET answers a strong ETag that changes when the contact changes and not otherwise', async () => {
    const h = await testApp()
    const id = (await h.api('POST', '/api/v1/contacts', { email: 'etag@example.com' })).json().id
    const first = await h.api('GET', `/api/v1/contacts/${id}`)
    const again = await h.api('GET', `/api/v1/contacts/${id}`)
    expect(first.headers.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/)
    expect(again.headers.etag).toBe(first.headers.etag)
    const patched = await h.api('PATCH', `/api/v1/contacts/${id}`, { company: 'Acme' })
    expect(patched.headers.etag).not.toBe(first.headers.etag)
    expect((await h.api('GET', `/api/v1/contacts/${id}`)).headers.etag).toBe(patched.headers.etag)
  })

  test('PATCH with a stale If-Match answers 412 and changes nothing; the second of two editors loses no update', async () => {
    const h = await testApp()
    const id = (await h.api('POST', '/api/v1/contacts', { email: 'two-editors@example.com' })).json().id
    const etag = (await h.api('GET', `/api/v1/contacts/${id}`)).headers.etag as string
    const alice = await h.api('PATCH', `/api/v1/contacts/${id}`, { company: 'Alice Inc' }, { 'if-match': etag })
    expect(alice.statusCode).toBe(200)
    const bob = await h.api('PATCH', `/api/v1/contacts/${id}`, { phone: '+1 555 0199' }, { 'if-match': etag })
    expect(bob.statusCode).toBe(412)
    expect(bob.json().error.code).toBe('precondition_failed')
    const now = (await h.api('GET', `/api/v1/contacts/${id}`)).json()
    expect(now).toMatchObject({ company: 'Alice Inc', phone: null })
    expect((await h.eventTypes()).filter((t) => t === 'contact.updated')).toHaveLength(1)
  })

  test('concurrent PATCHes with the same If-Match: exactly one succeeds', async () => {
    const h = await testApp()
    const id = (await h.api('POST', '/api/v1/contacts', { email: 'race@example.com' })).json().id
    const etag = (await h.api('GET', `/api/v1/contacts/${id}`)).headers.etag as string
    const results = await Promise.all(
      ['A', 'B', 'C', 'D'].map((c) => h.api('PATCH', `/api/v1/contacts/${id}`, { company: c }, { 'if-match': etag })),
    )
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 412, 412, 412])
  })

  test('If-Match accepts * and a list holding the current tag, and rejects a weak tag', async () => {
    const h = await testApp()
    const id = (await h.api('POST', '/api/v1/contacts', { email: 'lists@example.com' })).json().id
    const etag = (await h.api('GET', `/api/v1/contacts/${id}`)).headers.etag as string
    expect((await h.api('PATCH', `/api/v1/contacts/${id}`, { company: 'X' }, { 'if-match': '*' })).statusCode).toBe(200)
    const current = (await h.api('GET', `/api/v1/contacts/${id}`)).headers.etag as string
    expect(
      (await h.api('PATCH', `/api/v1/contacts/${id}`, { company: 'Y' }, { 'if-match': `${etag}, ${current}` }))
        .statusCode,
    ).toBe(200)
    const latest = (await h.api('GET', `/api/v1/contacts/${id}`)).headers.etag as string
    expect(
      (await h.api('PATCH', `/api/v1/contacts/${id}`, { company: 'Z' }, { 'if-match': `W/${latest}` })).statusCode,
    ).toBe(412)
  })

  test('DELETE with a stale If-Match answers 412 and keeps the contact', async () => {
    const h = await testApp()
    const id = (await h.api('POST', '/api/v1/contacts', { email: 'del@example.com' })).json().id
    const etag = (await h.api('GET', `/api/v1/contacts/${id}`)).headers.etag as string
    await h.api('PATCH', `/api/v1/contacts/${id}`, { company: 'Changed' })
    expect((await h.api('DELETE', `/api/v1/contacts/${id}`, undefined, { 'if-match': etag })).statusCode).toBe(412)
    expect((await h.api('GET', `/api/v1/contacts/${id}`)).statusCode).toBe(200)
    const fresh = (await h.api('GET', `/api/v1/contacts/${id}`)).headers.etag as string
    expect((await h.api('DELETE', `/api/v1/contacts/${id}`, undefined, { 'if-match': fresh })).statusCode).toBe(200)
  })

  test('GET with a matching If-None-Match answers 304 without a body; a stale one gets the contact', async () => {
    const h = await testApp()
    const id = (await h.api('POST', '/api/v1/contacts', { email: 'cache@example.com' })).json().id
    const etag = (await h.api('GET', `/api/v1/contacts/${id}`)).headers.etag as string
    const cached = await h.api('GET', `/api/v1/contacts/${id}`, undefined, { 'if-none-match': etag })
    expect(cached.statusCode).toBe(304)
    expect(cached.body).toBe('')
    expect(cached.headers.etag).toBe(etag)
    await h.api('PATCH', `/api/v1/contacts/${id}`, { company: 'New' })
    const fresh = await h.api('GET', `/api/v1/contacts/${id}`, undefined, { 'if-none-match': etag })
    expect(fresh.statusCode).toBe(200)
    expect(fresh.json().company).toBe('New')
  })
})
