import { describe, expect, test } from 'vitest'
import { buildApp } from '../../src/app.js'
import { testApp } from '../harness.js'

describe('structured logs', () => {
  test('are JSON lines with the request id and the calling key id, and never contain keys', async () => {
    const h = await testApp()
    const lines: string[] = []
    const app = await buildApp(h.deps, { logger: { level: 'debug', stream: { write: (line) => lines.push(line) } } })
    try {
      const key = h.org.key
      const basic = Buffer.from(`${h.org.id}:${key}`).toString('base64')
      for (const headers of [
        { authorization: `Bearer ${key}` },
        { 'x-api-key': key },
        { authorization: `Basic ${basic}` },
        { apikey: key, accountid: h.org.id },
      ]) {
        await app.inject({
          method: 'POST',
          url: '/api/v1/contacts',
          headers: { ...headers, 'x-request-id': 'log-test-1' },
          payload: { email: 'bad' },
        })
      }
      await app.inject({
        method: 'GET',
        url: '/api/v1/contacts',
        headers: { authorization: 'Bearer rk_live_wrongwrongwrongwrong' },
      })
      expect(lines.length).toBeGreaterThan(4)
      const entries = lines.map((l) => JSON.parse(l))
      expect(entries.some((e) => e.reqId === 'log-test-1' && e.key_id === h.org.keyId && e.org_id === h.org.id)).toBe(
        true,
      )
      const all = lines.join('\n')
      expect(all).not.toContain(key.slice(8))
      expect(all).not.toContain(basic)
      expect(all).not.toContain('wrongwrongwrong')
    } finally {
      await app.close()
    }
  })
})
