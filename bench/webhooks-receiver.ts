/**
 * The loopback webhook receiver of the webhook benchmark, in a process of its own (forked by
 * `webhooks-children.ts`, talking over IPC) so that it shares no event loop with the worker, the
 * baseline or the load generator. A plain `node:http` server on 127.0.0.1, port 0, that answers
 * every request 200 with an empty body as soon as the request's body has arrived.
 *
 * It counts requests and distinct `webhook-id`s (duplicates would be redeliveries). When asked to
 * record, it also keeps `[contact id, arrival ms]` for each delivery (`data.id` of the body; the
 * arrival is `Date.now()` when the request's headers reached the handler), for latency matching.
 *
 * Messages: in `{ type: 'reset', record }` → `{ type: 'reset' }`; `{ type: 'stats', arrivals }` →
 * `{ type: 'stats', … }`; `{ type: 'close' }` → `{ type: 'closed' }` and exit. Out: `{ type: 'listening', port }`.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export type ReceiverRequest =
  | { type: 'reset'; record: boolean }
  | { type: 'stats'; arrivals: boolean }
  | { type: 'close' }

export type ReceiverMessage =
  | { type: 'listening'; port: number }
  | { type: 'reset' }
  | {
      type: 'stats'
      requests: number
      distinctIds: number
      /** `[contact id, Date.now() at arrival]`, when recording and asked for. */
      arrivals: [string, number][]
      cpuUs: number
    }
  | { type: 'closed' }

let requests = 0
let seen = new Set<string>()
let record = false
let arrivals: [string, number][] = []

const server = createServer((req, res) => {
  const atMs = Date.now()
  requests++
  const id = req.headers['webhook-id']
  if (typeof id === 'string') seen.add(id)
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    res.writeHead(200).end()
    if (!record) return
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data?: { id?: unknown } }
      if (typeof body.data?.id === 'string') arrivals.push([body.data.id, atMs])
    } catch {}
  })
})
// Keep connections open across pauses between phases (undici's default keep-alive is 4 s).
server.keepAliveTimeout = 60_000

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo
  process.send?.({ type: 'listening', port } satisfies ReceiverMessage)
})

process.on('message', (message: ReceiverRequest) => {
  if (message.type === 'reset') {
    requests = 0
    seen = new Set()
    arrivals = []
    record = message.record
    process.send?.({ type: 'reset' } satisfies ReceiverMessage)
  } else if (message.type === 'stats') {
    const { user, system } = process.cpuUsage()
    process.send?.({
      type: 'stats',
      requests,
      distinctIds: seen.size,
      arrivals: message.arrivals ? arrivals : [],
      cpuUs: user + system,
    } satisfies ReceiverMessage)
  } else if (message.type === 'close') {
    server.closeAllConnections()
    server.close(() => process.send?.({ type: 'closed' } satisfies ReceiverMessage, () => process.exit(0)))
  }
})
// The benchmark process went away without closing us: do not linger.
process.on('disconnect', () => process.exit(1))
