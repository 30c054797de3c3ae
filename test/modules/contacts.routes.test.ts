import { describe, expect, test } from 'vitest'
import { testApp } from '../harness.js'

describe('POST /api/v1/contacts', () => {
  test('creates the seed example verbatim and emits contact.created in the same transaction', async () => {
    const h = await testApp()
    const res = await h.api('POST', '/api/v1/contacts', {
      name: 'Jane Doe',
      email: 'jane@example.com',
      phone: '+1-555-0100',
      tags: ['lead', 'enterprise'],
    })
    expect(res.statusCode).toBe(201)
    const contact = res.json()
    expect(contact).toMatchObject({
      name: 'Jane Doe',
      email: 'jane@example.com',
      status: 'lead',
      source: 'api',
      tags: ['lead', 'enterprise'],
    })
    expect(contact.id).toMatch(/^c_[0-9a-z]{26}$/)
    expect(await h.eventTypes()).toEqual(['contact.created'])
  })
})
