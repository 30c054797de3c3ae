import { describe, expect, test } from 'vitest'
import { testApp } from '../harness.js'

/** A publishable key ships in web pages: the API lists it whole (for embed snippets), a secret key by its start only. */
describe('publishable keys listed whole', () => {
  test('GET /api/v1/api_keys shows a publishable key whole and a secret key’s first 12 characters', async () => {
    const h = await testApp()
    const pk = await h.api('POST', '/api/v1/api_keys', {
      type: 'publishable',
      name: 'Site forms',
      allowed_origins: ['https://www.example.com'],
    })
    expect(pk.statusCode).toBe(201)
    const sk = await h.api('POST', '/api/v1/api_keys', { name: 'Server', scopes: ['read'] })
    expect(sk.statusCode).toBe(201)
    const list = (await h.api('GET', '/api/v1/api_keys?limit=100')).json().data as { id: string; prefix: string }[]
    expect(list.find((k) => k.id === pk.json().id)!.prefix).toBe(pk.json().key)
    expect(list.find((k) => k.id === sk.json().id)!.prefix).toBe(sk.json().key.slice(0, 12))
  })
})
