import type { FastifyReply, FastifyRequest } from 'fastify'
import { type ClientMeta, type OpenedSession, setSessionCookie, toSessionView } from './sessions.js'

export const metaOf = (req: FastifyRequest): ClientMeta => ({
  ip: req.ip ?? null,
  userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : null,
})

/** Sign-in pages must never be cached by a shared proxy. */
export const NO_STORE = 'no-store'

/** Answers a session just opened (setup, sign-in, accepted invite): the cookie, and the session uncached. */
export function sendOpened(req: FastifyRequest, reply: FastifyReply, opened: OpenedSession, status: 200 | 201) {
  setSessionCookie(req, reply, opened)
  return reply.code(status).header('cache-control', NO_STORE).send(toSessionView(opened.context))
}
