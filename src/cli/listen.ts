import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Config } from '../config.js'
import { reachableHost } from '../lib/public-url.js'
import { signedHeaders } from '../webhook-worker/sign.js'
import { CliError } from './output.js'
import type { ListenOptions } from './parse-command.js'

/** `rapport listen` as typed: the key and the API's URL from the flags, else the environment. Exit code. */
export async function listenFromCommandLine(
  options: ListenOptions,
  config: Pick<Config, 'host' | 'port' | 'publicUrl'>,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const key = options.key ?? env.RAPPORT_KEY
  if (!key) {
    process.stderr.write('rapport: rapport listen needs an API key: --key rk_… or RAPPORT_KEY\n')
    return 2
  }
  const apiUrl =
    options.apiUrl ?? env.RAPPORT_URL ?? config.publicUrl ?? `http://${reachableHost(config.host)}:${config.port}`
  const stop = new AbortController()
  process.once('SIGINT', () => stop.abort())
  process.once('SIGTERM', () => stop.abort())
  await listen({ ...options, key, apiUrl, out: (line) => process.stdout.write(`${line}\n`), signal: stop.signal })
  return 0
}

export interface ListenRun extends ListenOptions {
  key: string
  apiUrl: string
  /** Standard Webhooks secret the forwarded requests are signed with. Default: a new one, printed. */
  secret?: string
  out: (line: string) => void
  signal?: AbortSignal
  /** Per forwarded request. */
  timeoutMs?: number
}

interface StreamedEvent {
  id: string
  event: string
  data: string
}

/**
 * `rapport listen`: reads the organization's events from the API's event stream and posts each one,
 * signed like a webhook delivery (both header families), to a local URL, printing one line per
 * delivery. The server connects to nothing: the local receiver needs no public or allowed address.
 * Reconnects after a dropped stream, resuming after the last event it saw.
 */
export async function listen(run: ListenRun): Promise<void> {
  const secret = run.secret ?? `whsec_${randomBytes(24).toString('base64')}`
  const wanted = run.events && run.events.length > 0 ? new Set(run.events) : undefined
  let lastEventId: string | undefined
  let announced = false
  let failures = 0
  while (!run.signal?.aborted) {
    let res: Response
    try {
      res = await fetch(new URL('/api/v1/events/stream', run.apiUrl), {
        headers: {
          authorization: `Bearer ${run.key}`,
          accept: 'text/event-stream',
          ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
        },
        signal: run.signal,
      })
    } catch (err) {
      if (run.signal?.aborted) return
      failures += 1
      if (!announced && failures >= 3)
        throw new CliError('server_unreachable', `Cannot reach ${run.apiUrl}: ${message(err)}`)
      run.out(`! cannot reach ${run.apiUrl} (${message(err)}); retrying`)
      await sleep(Math.min(10_000, 500 * 2 ** failures), undefined, { signal: run.signal }).catch(() => {})
      continue
    }
    if (!res.ok || !res.body) {
      const body = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined
      throw new CliError(
        'stream_refused',
        `${run.apiUrl} answered ${res.status}: ${body?.error?.message ?? res.statusText}`,
      )
    }
    failures = 0
    if (!announced) {
      announced = true
      run.out(
        `Ready. Forwarding events from ${run.apiUrl} to ${run.forwardTo}${wanted ? ` (${[...wanted].join(', ')})` : ''}`,
      )
      run.out(`Signing secret of the forwarded requests: ${secret}`)
      run.out('Press Ctrl+C to stop.')
    }
    try {
      for await (const event of readEvents(res.body)) {
        lastEventId = event.id
        if (wanted && !wanted.has(event.event)) continue
        run.out(await forward(run, secret, event))
      }
    } catch (err) {
      if (run.signal?.aborted) return
      run.out(`! the event stream broke (${message(err)}); reconnecting`)
    }
    if (!run.signal?.aborted) await sleep(500, undefined, { signal: run.signal }).catch(() => {})
  }
}

/** Posts one event, signed; answers the line to print. Never throws: a failure is a line too. */
async function forward(run: ListenRun, secret: string, event: StreamedEvent): Promise<string> {
  const nowMs = Date.now()
  const headers = signedHeaders({
    secrets: [secret],
    messageId: event.id,
    eventType: event.event,
    body: event.data,
    nowMs,
  })
  const started = performance.now()
  const stamp = new Date(nowMs).toISOString().slice(11, 19)
  try {
    const res = await fetch(run.forwardTo, {
      method: 'POST',
      headers,
      body: event.data,
      signal: AbortSignal.timeout(run.timeoutMs ?? 15_000),
    })
    await res.arrayBuffer().catch(() => undefined)
    const ms = Math.round(performance.now() - started)
    return `${stamp}  ${event.event.padEnd(24)} ${event.id}  --> POST ${run.forwardTo} [${res.status}] ${ms} ms`
  } catch (err) {
    return `${stamp}  ${event.event.padEnd(24)} ${event.id}  --> POST ${run.forwardTo} failed: ${message(err)}`
  }
}

/** The events of a `text/event-stream` body (id, event and data fields; comments skipped). */
export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamedEvent> {
  const decoder = new TextDecoder()
  let buffer = ''
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true })
    for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const fields: Record<string, string> = {}
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue
        const colon = line.indexOf(':')
        if (colon === -1) continue
        const name = line.slice(0, colon)
        const value = line.slice(colon + 1).replace(/^ /, '')
        fields[name] = name === 'data' && fields.data !== undefined ? `${fields.data}\n${value}` : value
      }
      if (fields.id && fields.event && fields.data !== undefined) {
        yield { id: fields.id, event: fields.event, data: fields.data }
      }
    }
  }
}

function message(err: unknown): string {
  const e = err as { message?: string; cause?: { message?: string } }
  return e?.cause?.message ?? e?.message ?? String(err)
}
