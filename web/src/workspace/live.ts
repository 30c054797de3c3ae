import { useEffect, useRef } from 'preact/hooks'
import { currentMode } from '../api.js'

/**
 * Live updates: one server-sent event stream per signed-in tab while a screen listens (`GET /api/v1/events/stream`, the
 * session's organization and mode, refused unless the session's role may read), fanned out to the
 * open screens. Read with fetch rather than EventSource: EventSource cannot send the
 * `Rapport-Mode` header that selects test mode.
 */

export interface LiveEvent {
  id: string
  event: string
  timestamp: string
  data: Record<string, unknown>
}

type Listener = (event: LiveEvent) => void

const listeners = new Set<Listener>()
const RETRY_MS = [1000, 2000, 5000, 10_000]

let stopStream: (() => void) | undefined

/**
 * Opens the stream and keeps it open (reconnecting after `Last-Event-ID`) until the returned stop.
 * Opened while some screen listens: pages without live data keep no connection open.
 */
function startStream(): () => void {
  const abort = new AbortController()
  let lastId: string | undefined
  let failures = 0
  const run = async () => {
    while (!abort.signal.aborted) {
      try {
        const headers: Record<string, string> = { accept: 'text/event-stream' }
        if (currentMode() === 'test') headers['rapport-mode'] = 'test'
        if (lastId) headers['last-event-id'] = lastId
        const res = await fetch('/api/v1/events/stream', {
          headers,
          credentials: 'same-origin',
          signal: abort.signal,
        })
        // Signed out, or a role that may not read: nothing to follow until the next sign-in.
        if (res.status === 401 || res.status === 403) return
        if (!res.ok || !res.body) throw new Error(`event stream answered ${res.status}`)
        failures = 0
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
        let buffer = ''
        for (;;) {
          const { value, done } = await reader.read()
          if (done) break
          buffer += value
          let end = buffer.indexOf('\n\n')
          while (end >= 0) {
            const block = buffer.slice(0, end)
            buffer = buffer.slice(end + 2)
            const event = parseBlock(block)
            if (event) {
              lastId = event.id
              for (const listener of listeners) listener(event)
            }
            end = buffer.indexOf('\n\n')
          }
        }
      } catch {
        if (abort.signal.aborted) return
      }
      const waitMs = RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)]
      await new Promise((resolve) => setTimeout(resolve, waitMs))
    }
  }
  void run()
  return () => abort.abort()
}

function parseBlock(block: string): LiveEvent | undefined {
  const data = block
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trimStart())
    .join('\n')
  if (!data) return undefined
  try {
    return JSON.parse(data) as LiveEvent
  } catch {
    return undefined
  }
}

/**
 * Calls `onEvent` for each live event whose type starts with one of `prefixes` (`contact.`,
 * `deal.`…), e.g. to reload what the screen shows.
 */
export function useLiveEvents(prefixes: string[], onEvent: (event: LiveEvent) => void): void {
  const callback = useRef(onEvent)
  callback.current = onEvent
  const key = prefixes.join(',')
  useEffect(() => {
    const listener: Listener = (event) => {
      if (prefixes.some((p) => event.event.startsWith(p))) callback.current(event)
    }
    listeners.add(listener)
    stopStream ??= startStream()
    return () => {
      listeners.delete(listener)
      if (listeners.size === 0) {
        stopStream?.()
        stopStream = undefined
      }
    }
  }, [key])
}

/** The id of the object an event is about (`data.id`), or its `contact_id` when it names one. */
export function subjectIds(event: LiveEvent): string[] {
  const ids: string[] = []
  for (const key of ['id', 'contact_id', 'deal_id']) {
    const value = event.data[key]
    if (typeof value === 'string') ids.push(value)
  }
  return ids
}
