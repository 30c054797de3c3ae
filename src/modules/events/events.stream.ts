import type { ServerResponse } from 'node:http'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import type { Db } from '../../db/schema.js'
import type { Clock } from '../../lib/clock.js'
import type { EventCatalog } from '../../outbox/define.js'
import { EventsService, toEvent } from './events.service.js'

/** How often an open stream looks for new events. One indexed query per stream and period. */
const POLL_MS = 500
/**
 * Every this-many polls (2 s) the stream checks that its session or key still signs in, and ends
 * when it does not: a signed-out, revoked or expired credential stops receiving events within 2 s,
 * for one primary-key read per stream every 2 s.
 */
const RECHECK_EVERY_POLLS = 4
/** A comment line this often keeps proxies and the client from closing an idle stream. */
const HEARTBEAT_MS = 15_000
/**
 * Events are read again this far back: an event whose transaction commits after a later one's
 * (ids are not in commit order across processes) is still sent. Ids sent in this window are
 * remembered, so nothing is sent twice.
 */
const LATE_COMMIT_WINDOW_MS = 10_000
const BATCH = 100

const StreamQuery = Type.Object(
  {
    after: Type.Optional(
      Type.String({
        maxLength: 64,
        pattern: '^evt_[0-9a-z]{26}$',
        description:
          'Start after this event id (the `Last-Event-ID` header does the same on a reconnect). Omitted: only events from now on.',
        examples: ['evt_01jd3k8m2x7q9v4b6n5t0w1y2z'],
      }),
    ),
  },
  { additionalProperties: false },
)

/**
 * The organization's events as they are committed, as server-sent events (one `event:` per catalog
 * name, the webhook envelope as `data:`): what `rapport listen` forwards to a local URL, so local
 * webhook development needs no private-address exception on the server, and what the dashboard's
 * live updates read. Scoped to the caller's organization and mode like every read, limited to the
 * event types the caller may read (events.access.ts), and ended when the session or key it was
 * opened with stops signing in.
 */
export function eventsStreamRoutes(db: Db, catalog: EventCatalog, clock: Clock) {
  const events = new EventsService(db, catalog, clock)
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const open = new Set<ServerResponse>()
    // A stream never ends by itself: end them all when the server closes, or it would wait for them.
    app.addHook('preClose', async () => {
      for (const res of open) res.end()
    })

    app.get(
      '/api/v1/events/stream',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'streamEvents',
          summary: 'Stream events as they happen',
          description:
            'Server-sent events (`text/event-stream`): each committed event of the organization and mode as `id: evt_…`, `event: <type>` and `data: <the webhook envelope>`, oldest first; a `: keep-alive` comment every 15 s. Resume with `Last-Event-ID` or `?after=`; an id past the events retention (`RAPPORT_EVENTS_RETENTION_DAYS`, 30 days by default) resumes from now. Events about webhook endpoints are sent only to callers with the `webhooks` scope (not to members). The stream ends (after a `: signed out` comment) within 2 s of its dashboard session being signed out, revoked or expired, or its API key being revoked or expiring. Used by `rapport listen` and the dashboard’s live updates.',
          tags: ['events'],
          querystring: StreamQuery,
          response: {
            200: {
              description: 'The event stream; it stays open until the client or the server closes it',
              content: {
                'text/event-stream': {
                  schema: Type.String({ examples: ['id: evt_…\nevent: contact.created\ndata: {…}\n\n'] }),
                },
              },
            },
          },
        },
      },
      async (req, reply) => {
        const principal = req.principal
        const sessionId = req.session?.sessionId
        const hidden = events.hiddenFor(principal)
        const lastEventId = req.headers['last-event-id']
        const after =
          req.query.after ??
          (typeof lastEventId === 'string' && /^evt_[0-9a-z]{26}$/.test(lastEventId) ? lastEventId : undefined)
        const start = after ? await events.startOf(principal, after) : undefined
        // Event times are the database's: "from now on" is real time, not the injected clock's.
        let since = start ?? new Date()
        const sent = new Map<string, number>()
        if (after) sent.set(after, since.getTime())

        reply.hijack()
        const res = reply.raw
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
          'x-request-id': req.id,
        })
        res.write(': connected\n\n')
        open.add(res)

        let closed = false
        let polls = 0
        let lastWriteMs = Date.now()
        const poll = async () => {
          if (++polls % RECHECK_EVERY_POLLS === 0 && !(await events.stillSignedIn(principal, sessionId))) {
            res.end(': signed out\n\n')
            closed = true
            return
          }
          const rows = await events.since(
            principal,
            new Date(since.getTime() - LATE_COMMIT_WINDOW_MS),
            BATCH + sent.size,
            hidden,
          )
          for (const row of rows) {
            if (sent.has(row.id)) continue
            sent.set(row.id, row.created_at.getTime())
            if (row.created_at > since) since = row.created_at
            res.write(`id: ${row.id}\nevent: ${row.type}\ndata: ${JSON.stringify(toEvent(row))}\n\n`)
            lastWriteMs = Date.now()
          }
          const forgetBefore = since.getTime() - 2 * LATE_COMMIT_WINDOW_MS
          for (const [id, at] of sent) if (at < forgetBefore) sent.delete(id)
          if (Date.now() - lastWriteMs >= HEARTBEAT_MS) {
            res.write(': keep-alive\n\n')
            lastWriteMs = Date.now()
          }
        }
        const loop = async () => {
          while (!closed) {
            try {
              await poll()
            } catch (err) {
              req.log.warn({ err }, 'event stream: reading events failed; retrying')
            }
            await new Promise((resolve) => setTimeout(resolve, POLL_MS))
          }
        }
        res.on('close', () => {
          closed = true
          open.delete(res)
        })
        void loop()
      },
    )
  }
}
