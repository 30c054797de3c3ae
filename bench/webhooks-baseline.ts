/**
 * The baseline of the webhook throughput benchmark, in a process of its own (forked by
 * `webhooks-children.ts`): a bare loop of signed undici POSTs to the receiver. Per request it does
 * what a delivery needs at the least: a fresh message id, the body (`JSON.stringify` of the same
 * envelope the worker sends, so the same size), both signature families through Rapport's own
 * `signedHeaders`, the POST and reading the answer. No database, no lease, no attempt log.
 * `concurrency` loops share one undici Agent with as many connections, as the worker's sender does.
 *
 * In: `{ type: 'run', … }` → `{ type: 'done', … }`; `{ type: 'close' }` → exit.
 */
import { Agent, request } from 'undici'
import { newId } from '../src/lib/ids.js'
import { signedHeaders } from '../src/webhook-worker/sign.js'

export interface BaselineRun {
  type: 'run'
  url: string
  secret: string
  envelope: Record<string, unknown>
  count: number
  concurrency: number
  timeoutMs: number
}

export type BaselineMessage =
  | { type: 'done'; elapsedMs: number; cpuUs: number; failures: number; firstFailure: string | undefined }
  | { type: 'ready' }

async function run(opts: BaselineRun): Promise<BaselineMessage> {
  const agent = new Agent({
    connections: opts.concurrency,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    connect: { timeout: opts.timeoutMs },
  })
  let next = 0
  let failures = 0
  let firstFailure: string | undefined
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  const loop = async () => {
    while (next < opts.count) {
      next++
      const messageId = newId('event')
      const body = JSON.stringify({ ...opts.envelope, id: messageId })
      const headers = signedHeaders({
        secrets: [opts.secret],
        messageId,
        eventType: String(opts.envelope.event),
        body,
        nowMs: Date.now(),
      })
      try {
        const res = await request(opts.url, {
          method: 'POST',
          headers,
          body,
          dispatcher: agent,
          signal: AbortSignal.timeout(opts.timeoutMs),
        })
        await res.body.text()
        if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`)
      } catch (err) {
        failures++
        firstFailure ??= (err as Error).message
      }
    }
  }
  await Promise.all(Array.from({ length: opts.concurrency }, loop))
  const elapsedMs = performance.now() - started
  const cpu = process.cpuUsage(cpuBefore)
  await agent.close()
  return { type: 'done', elapsedMs, cpuUs: cpu.user + cpu.system, failures, firstFailure }
}

process.on('message', (message: BaselineRun | { type: 'close' }) => {
  if (message.type === 'close') process.exit(0)
  if (message.type === 'run') {
    run(message).then(
      (done) => process.send?.(done),
      (err) => {
        console.error(err)
        process.exit(1)
      },
    )
  }
})
process.on('disconnect', () => process.exit(1))
process.send?.({ type: 'ready' } satisfies BaselineMessage)
