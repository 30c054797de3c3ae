import type {} from '@fastify/cookie'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ApiError } from '../../core/errors.js'
import type { Plan, Role } from '../../core/tenancy.js'
import type { Db, Executor } from '../../db/schema.js'
import type { Clock } from '../../lib/clock.js'
import { randomBase62, safeEqual, sha256Hex } from '../../lib/crypto.js'
import { newId } from '../../lib/ids.js'
import type { SessionView } from './accounts.schemas.js'
import { deleteSession, deleteSessionsOf, findLiveSession, insertSession, touchSession } from './sessions.repo.js'

export const SESSION_COOKIE = 'rapport_session'
/** A session's `last_seen_at` is written at most this often (sign-in lists, idle clean-up). */
const TOUCH_INTERVAL_MS = 60_000

/** A signed-in user, as every dashboard request sees it. */
export interface SessionContext {
  sessionId: string
  csrfToken: string
  expiresAt: Date
  user: { id: string; name: string; email: string; role: Role }
  org: { id: string; name: string; plan: Plan }
}

export interface OpenedSession {
  token: string
  context: SessionContext
}

/**
 * Dashboard sessions: a random 192-bit token in an HttpOnly cookie, found by its SHA-256 (the
 * table never holds a usable token), with a CSRF token of its own that the dashboard sends back
 * as `X-CSRF-Token` on every change.
 */
export class Sessions {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ttlHours: number,
  ) {}

  async open(
    executor: Executor,
    user: SessionContext['user'],
    org: SessionContext['org'],
    meta: { ip: string | null; userAgent: string | null },
  ): Promise<OpenedSession> {
    const token = randomBase62(192)
    const csrfToken = randomBase62(128)
    const now = this.clock.nowMs()
    const expiresAt = new Date(now + this.ttlHours * 3_600_000)
    const id = newId('session')
    await insertSession(executor, {
      id,
      token_hash: sha256Hex(token),
      user_id: user.id,
      org_id: org.id,
      csrf_token: csrfToken,
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 500) ?? null,
      created_at: new Date(now),
      last_seen_at: new Date(now),
      expires_at: expiresAt,
    })
    return { token, context: { sessionId: id, csrfToken, expiresAt, user, org } }
  }

  /** The live session of a cookie token; undefined when unknown, expired, or its user can no longer sign in. */
  async find(token: string): Promise<SessionContext | undefined> {
    const now = new Date(this.clock.nowMs())
    const row = await findLiveSession(this.db, sha256Hex(token), now)
    if (!row) return undefined
    if (now.getTime() - row.last_seen_at.getTime() > TOUCH_INTERVAL_MS) {
      // Best effort: a lost touch only makes "last seen" a minute older.
      void touchSession(this.db, row.id, now).catch(() => undefined)
    }
    return {
      sessionId: row.id,
      csrfToken: row.csrf_token,
      expiresAt: row.expires_at,
      user: { id: row.user_id, name: row.user_name, email: row.email, role: row.role },
      org: { id: row.org_id, name: row.org_name, plan: row.plan },
    }
  }

  /** The live session of the request's cookie, if any. */
  async fromRequest(req: FastifyRequest): Promise<SessionContext | undefined> {
    const token = sessionTokenOf(req)
    return token ? this.find(token) : undefined
  }

  async close(sessionId: string): Promise<void> {
    await deleteSession(this.db, sessionId)
  }

  /** Signs a user out everywhere (their role changed, they were removed, or their password changed). */
  async closeAllOf(executor: Executor, userId: string): Promise<void> {
    await deleteSessionsOf(executor, userId)
  }
}

/**
 * Throws 403 unless the request carries the session's CSRF token in `X-CSRF-Token`: another site's
 * page can make a browser send the cookie, but cannot read the token.
 */
export function assertCsrf(req: FastifyRequest, session: SessionContext) {
  const sent = req.headers['x-csrf-token']
  if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken)) {
    throw new ApiError(
      'csrf_failed',
      'A change made with a dashboard session must send the session’s csrf_token in the X-CSRF-Token header',
    )
  }
}

/** The cookie token of a request, if any. */
export function sessionTokenOf(req: FastifyRequest): string | undefined {
  const header = req.headers.cookie
  if (!header) return undefined
  const value = req.server.parseCookie(header)[SESSION_COOKIE]
  return value && /^[0-9A-Za-z]{20,64}$/.test(value) ? value : undefined
}

export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, opened: OpenedSession) {
  reply.setCookie(SESSION_COOKIE, opened.token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.protocol === 'https',
    path: '/',
    expires: opened.context.expiresAt,
  })
}

export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: req.protocol === 'https', path: '/' })
}

/** Where a sign-in came from, kept with its session. */
export interface ClientMeta {
  ip: string | null
  userAgent: string | null
}

export function toSessionView(ctx: SessionContext): SessionView {
  return {
    object: 'session',
    user: ctx.user,
    organization: ctx.org,
    csrf_token: ctx.csrfToken,
    expires_at: ctx.expiresAt.toISOString(),
  }
}
