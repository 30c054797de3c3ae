import { expect } from 'vitest'
import type { Clock } from '../../src/lib/clock.js'
import { type EmailWorker, type EmailWorkerOptions, startEmailWorker } from '../../src/modules/email/emails.worker.js'
import { campaignRunnerFor } from '../../src/modules/email/index.js'
import { type TestApp, testApp } from '../harness.js'
import { startSmtpSink } from './email-sink.js'

/**
 * An app sending through a loopback SMTP sink, with a default sender, for the audience and
 * campaign tests. `cleanups` run after each test (the caller's afterEach).
 */
export async function emailApp(cleanups: (() => Promise<void>)[], env: Record<string, string> = {}, clock?: Clock) {
  const sink = await startSmtpSink()
  cleanups.push(sink.close)
  const h = await testApp({
    env: { RAPPORT_SMTP_URL: sink.url, RAPPORT_EMAIL_RETRY_SCHEDULE: '0,0', ...env },
    ...(clock ? { clock } : {}),
  })
  cleanups.push(h.close)
  const sender = await h.api('POST', '/api/v1/senders', { email: 'news@acme.example', name: 'Acme News' })
  expect(sender.statusCode).toBe(201)
  const start = async (opts: Partial<EmailWorkerOptions> = {}): Promise<EmailWorker> => {
    const w = await startEmailWorker({
      db: h.deps.db,
      mailer: h.deps.mailer,
      log: h.app.log,
      listen: h.deps.listen,
      retryScheduleSec: h.deps.config.email.retryScheduleSec,
      pollMs: 50,
      orgIds: [h.org.id],
      campaigns: campaignRunnerFor(h.deps, h.app.log, [h.org.id]),
      campaignTickMs: 50,
      ...opts,
    })
    cleanups.push(() => w.stop(2000))
    return w
  }
  return { h, sink, start }
}

/** Creates contacts `name{i}@example.com` (i from 0) and returns their ids in order. */
export async function makeContacts(h: TestApp, count: number, prefix = 'person'): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const res = await h.api('POST', '/api/v1/contacts', { name: `${prefix} ${i}`, email: `${prefix}${i}@example.com` })
    expect(res.statusCode).toBe(201)
    ids.push(res.json().id)
  }
  return ids
}
