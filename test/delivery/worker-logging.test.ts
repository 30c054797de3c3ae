import Fastify from 'fastify'
import { describe, expect, onTestFinished, test } from 'vitest'
import { startWorker } from '../../src/webhook-worker/worker.js'
import { startReceiver } from '../receiver.js'
import { createEndpoint, eventually, webhookApp } from './fixtures.js'

describe('the delivery worker’s log', () => {
  test('says warn for every failed attempt and for an endpoint it disables', async () => {
    const h = await webhookApp()
    const rx = await startReceiver((_req, res) => res.writeHead(410).end('gone'))
    const lines: Record<string, unknown>[] = []
    const log = Fastify({
      logger: { level: 'info', stream: { write: (line: string) => lines.push(JSON.parse(line)) } },
    }).log
    const { id } = await createEndpoint(h, { url: rx.url })
    const w = await startWorker({
      db: h.deps.db,
      config: h.deps.config,
      secretBox: h.deps.secretBox,
      log,
      listen: h.deps.listen,
      pollMs: 100,
    })
    onTestFinished(async () => {
      await w.stop()
      await rx.close()
    })
    await h.api('POST', '/api/v1/contacts', { email: 'gone@example.com' })
    // This file's endpoint only: on PostgreSQL the worker also claims other files' deliveries.
    const warns = () => lines.filter((l) => l.level === 40 && l.endpoint_id === id)
    await eventually(async () => warns().length >= 2)
    const [failed, disabled] = warns()
    expect(failed).toMatchObject({ endpoint_id: id, event: 'contact.created', url: rx.url, attempt: 1, status: 410 })
    expect(String(failed!.msg)).toContain(`webhook delivery failed: contact.created to ${rx.url}: HTTP 410`)
    expect(disabled).toMatchObject({ endpoint_id: id, url: rx.url, reason: 'the endpoint answered 410 Gone' })
    expect(String(disabled!.msg)).toContain('webhook endpoint disabled')
  }, 60_000)
})
