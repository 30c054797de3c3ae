import { describe, expect, test } from 'vitest'
import { testApp } from '../harness.js'

describe('a new key has at most the scopes of whoever creates it', () => {
  test('a key limited to admin cannot mint a key with read, write or webhooks (issue 20, item 6)', async () => {
    const h = await testApp()
    // The admin of before: `admin`, with `keys` (managing keys), which the migration gave such keys.
    const adminOnly = await h.newKey(h.org.id, { scopes: ['admin', 'keys'] })
    const auth = { authorization: `Bearer ${adminOnly}` }

    const unnamed = await h.api('POST', '/api/v1/api_keys', { name: 'minted' }, auth)
    expect(unnamed.statusCode).toBe(201)
    expect([...unnamed.json().scopes].sort()).toEqual(['admin', 'keys'])
    const minted = unnamed.json().key as string
    const read = await h.api('GET', '/api/v1/contacts', undefined, { authorization: `Bearer ${minted}` })
    expect(read.statusCode).toBe(403)

    const asked = await h.api('POST', '/api/v1/api_keys', { scopes: ['read', 'write', 'webhooks'] }, auth)
    expect(asked.statusCode).toBe(403)
    expect(asked.json().error.code).toBe('insufficient_scope')
    expect(asked.json().error.message).toMatch(/read, write, webhooks/)
    const keys = await h.api('GET', '/api/v1/api_keys?limit=100', undefined, auth)
    expect(keys.json().data).toHaveLength(3)
  })

  test('a key with admin alone manages no keys at all', async () => {
    const h = await testApp()
    const adminOnly = await h.newKey(h.org.id, { scopes: ['admin'] })
    const res = await h.api('POST', '/api/v1/api_keys', {}, { authorization: `Bearer ${adminOnly}` })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.message).toMatch(/"keys" scope/)
  })

  test('a key made without scopes by a narrowed key gets exactly its creator’s scopes', async () => {
    const h = await testApp()
    const creator = await h.newKey(h.org.id, { scopes: ['read', 'keys'] })
    const res = await h.api('POST', '/api/v1/api_keys', {}, { authorization: `Bearer ${creator}` })
    expect(res.statusCode).toBe(201)
    expect([...res.json().scopes].sort()).toEqual(['keys', 'read'])
  })

  test('a key with every scope can still make a key with every scope of the plan', async () => {
    const h = await testApp({ plan: 'teams' })
    const res = await h.api('POST', '/api/v1/api_keys', { name: 'full' })
    expect(res.statusCode).toBe(201)
    expect([...res.json().scopes].sort()).toEqual(['admin', 'keys', 'leads', 'read', 'webhooks', 'write'])
  })
})
