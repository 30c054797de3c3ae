/**
 * A paced (open-loop) load of `POST /api/v1/contacts`: request n is sent at start + n / rate,
 * whatever the answers before it, with at most `maxInFlight` requests outstanding. When the API is
 * slower than the rate, requests wait for a free slot and the achieved rate (answers per second)
 * falls below the requested one; the caller reports both.
 *
 * The moment the API answered a request is `Date.now()` in this process when undici resolved its
 * response (status and headers received), kept per contact id (the `id` of the 201 body).
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { Agent, request } from 'undici'

export interface PacedLoad {
  requestedPerSec: number
  sent: number
  answered: number
  /** `Date.now()` when the first request was sent and when the last answer arrived. */
  startedAtMs: number
  lastAnswerAtMs: number
  achievedPerSec: number
  /** Contact id → `Date.now()` when its 201 arrived. */
  answers: Map<string, number>
  /** Client-side response times, ms. */
  responseMs: number[]
}

let counter = 0
const runTag = Date.now().toString(36)

export async function pacedCreates(opts: {
  baseUrl: string
  apiKey: string
  perSec: number
  durationMs: number
  maxInFlight: number
}): Promise<PacedLoad> {
  const agent = new Agent({ connections: opts.maxInFlight, keepAliveTimeout: 30_000 })
  const answers = new Map<string, number>()
  const responseMs: number[] = []
  const failures: string[] = []
  const inFlight = new Set<Promise<void>>()
  let lastAnswerAtMs = 0

  const send = async () => {
    const n = counter++
    const sentAt = performance.now()
    try {
      const res = await request(`${opts.baseUrl}/api/v1/contacts`, {
        method: 'POST',
        dispatcher: agent,
        headers: { authorization: `Bearer ${opts.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `Webhook Latency ${n}`, email: `wl-${runTag}-${n}@example.com` }),
        signal: AbortSignal.timeout(30_000),
      })
      const answeredAt = Date.now()
      responseMs.push(performance.now() - sentAt)
      const text = await res.body.text()
      if (res.statusCode !== 201) throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 300)}`)
      answers.set((JSON.parse(text) as { id: string }).id, answeredAt)
      lastAnswerAtMs = Math.max(lastAnswerAtMs, answeredAt)
    } catch (err) {
      failures.push((err as Error).message)
    }
  }

  const startedAtMs = Date.now()
  const start = performance.now()
  let sent = 0
  for (;;) {
    const elapsed = performance.now() - start
    if (elapsed >= opts.durationMs) break
    const due = Math.min(
      Math.floor((elapsed * opts.perSec) / 1000) + 1,
      Math.round((opts.durationMs * opts.perSec) / 1000),
    )
    while (sent < due && inFlight.size < opts.maxInFlight) {
      sent++
      const task: Promise<void> = send().finally(() => inFlight.delete(task))
      inFlight.add(task)
    }
    await sleep(1)
  }
  await Promise.all(inFlight)
  await agent.close()
  if (failures.length > 0) {
    throw new Error(`${failures.length} of ${sent} POST /api/v1/contacts failed; first: ${failures[0]}`)
  }
  return {
    requestedPerSec: opts.perSec,
    sent,
    answered: answers.size,
    startedAtMs,
    lastAnswerAtMs,
    achievedPerSec: answers.size / ((lastAnswerAtMs - startedAtMs) / 1000),
    answers,
    responseMs,
  }
}
