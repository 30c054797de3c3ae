import type { AddressInfo } from 'node:net'
import { createServer, type Socket } from 'node:net'
import { describe, expect, onTestFinished, test } from 'vitest'
import { EmailSettingsService } from '../../src/modules/email/settings.service.js'
import { smtpTransport } from '../../src/modules/email/smtp.transport.js'
import { testApp } from '../harness.js'
import { startSmtpSink } from './email-sink.js'

/** GET /api/v1/email-settings/transport: the dashboard's "SMTP status", a real connection to the server. */
describe('GET /api/v1/email-settings/transport', () => {
  test('an SMTP server on loopback that answers is reported ok, and nothing is sent to it', async () => {
    const sink = await startSmtpSink()
    onTestFinished(sink.close)
    const h = await testApp({ env: { RAPPORT_SMTP_URL: sink.url } })
    const res = await h.api('GET', '/api/v1/email-settings/transport')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ object: 'email_transport_status', transport: 'smtp', ok: true, error: null })
    expect(res.json().duration_ms).toBeGreaterThanOrEqual(0)
    expect(sink.messages).toHaveLength(0)
  })

  test('an SMTP server that refuses connections is reported with the network error', async () => {
    const sink = await startSmtpSink()
    const url = sink.url
    await sink.close()
    const h = await testApp({ env: { RAPPORT_SMTP_URL: url } })
    const res = await h.api('GET', '/api/v1/email-settings/transport')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ transport: 'smtp', ok: false })
    expect(res.json().error).toMatch(/ECONNREFUSED/)
  })

  test('without RAPPORT_SMTP_URL the development mailbox is the transport and always answers', async () => {
    const h = await testApp({ env: { RAPPORT_SMTP_URL: '' } })
    expect((await h.api('GET', '/api/v1/email-settings/transport')).json()).toMatchObject({
      transport: 'mailbox',
      ok: true,
      error: null,
    })
  })

  test('is for owners and admins: a read and write key is refused', async () => {
    const h = await testApp({ env: { RAPPORT_SMTP_URL: '' } })
    const key = await h.newKey(h.org.id, { scopes: ['read', 'write'] })
    const res = await h.app.inject({
      method: 'GET',
      url: '/api/v1/email-settings/transport',
      headers: { authorization: `Bearer ${key}` },
    })
    expect(res.statusCode).toBe(403)
  })

  test('a server that accepts the connection but never greets is reported after the time limit', async () => {
    const sockets = new Set<Socket>()
    const silent = createServer((socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    onTestFinished(async () => {
      for (const s of sockets) s.destroy()
      await new Promise((resolve) => silent.close(resolve))
    })
    // Its own timeouts (1 s) end what nodemailer leaves running after the check has answered.
    const transport = smtpTransport(`smtp://127.0.0.1:${(silent.address() as AddressInfo).port}`, { timeoutMs: 1000 })
    onTestFinished(() => transport.close())
    const h = await testApp()
    let nowMs = Date.parse('2026-03-02T09:00:00.000Z')
    const clock = {
      nowMs: () => {
        nowMs += 50
        return nowMs
      },
    }
    const status = await new EmailSettingsService(h.deps.db, transport, clock).checkTransport(100)
    expect(status).toMatchObject({ transport: 'smtp', ok: false, error: 'no answer within 0.1 s', duration_ms: 50 })
    expect(status.checked_at).toBe('2026-03-02T09:00:00.100Z')
  })
})
