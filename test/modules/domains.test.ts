import { describe, expect, test } from 'vitest'
import { testApp } from '../harness.js'

describe('domains', () => {
  test('normalizes the hostname to lower case without a trailing dot', async () => {
    const h = await testApp()
    const res = await h.api('POST', '/api/v1/domains', { hostname: ' WWW.Example.COM. ' })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ object: 'domain', hostname: 'www.example.com' })
    expect(res.json().id).toMatch(/^dom_/)
    const got = await h.api('GET', `/api/v1/domains/${res.json().id}`)
    expect(got.headers.etag).toMatch(/^"/)
  })

  test('refuses what is not a hostname with a 422 naming hostname', async () => {
    const h = await testApp()
    for (const hostname of [
      'https://example.com',
      'example.com/path',
      'example.com:8080',
      'localhost',
      '-bad.com',
      '1.2.3.4',
    ]) {
      const res = await h.api('POST', '/api/v1/domains', { hostname })
      expect(res.statusCode, hostname).toBe(422)
      expect(res.json().error.details).toMatchObject([{ field: 'hostname' }])
    }
  })

  test('a hostname is unique per organization and mode (409), whatever its case', async () => {
    const h = await testApp()
    expect((await h.api('POST', '/api/v1/domains', { hostname: 'shop.example.com' })).statusCode).toBe(201)
    expect((await h.api('POST', '/api/v1/domains', { hostname: 'SHOP.example.com' })).statusCode).toBe(409)
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    const other = await h.newOrg()
    for (const key of [testKey, other.key]) {
      expect(
        (await h.api('POST', '/api/v1/domains', { hostname: 'shop.example.com' }, { authorization: `Bearer ${key}` }))
          .statusCode,
      ).toBe(201)
    }
  })

  test('lists with a hostname filter and deletes', async () => {
    const h = await testApp()
    const id = (await h.api('POST', '/api/v1/domains', { hostname: 'a.example.com' })).json().id
    await h.api('POST', '/api/v1/domains', { hostname: 'b.example.com' })
    expect((await h.api('GET', '/api/v1/domains')).json().pagination.total).toBe(2)
    expect(
      (await h.api('GET', '/api/v1/domains?hostname=A.example.com')).json().data.map((d: { id: string }) => d.id),
    ).toEqual([id])
    expect((await h.api('DELETE', `/api/v1/domains/${id}`)).json()).toEqual({ id, object: 'domain', deleted: true })
    expect((await h.api('GET', `/api/v1/domains/${id}`)).statusCode).toBe(404)
  })
})
