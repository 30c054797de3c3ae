import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ApiError } from '../core/errors.js'
import type { Db } from '../db/schema.js'
import { sha256Hex } from '../lib/crypto.js'
import { claimKey, completeKey, releaseKey } from '../modules/idempotency/idempotency.repo.js'
import { hooksOf } from './route-hooks.js'

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey?: string
  }
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/

/**
 * `Idempotency-Key` on any authenticated POST: the first response is stored for 24 h and replayed
 * (with `Idempotent-Replayed: true`) for the same key and body; another body is a 422, and a
 * request still running under the key is a 409. Responses of 5xx are not kept, so a retry re-runs.
 */
export function registerIdempotency(app: FastifyInstance, db: Db) {
  // Attached to the authenticated POST routes only: other routes never run these hooks.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    if (!methods.includes('POST') || !(route.config?.scope || route.config?.publishable)) return
    route.preHandler = [...hooksOf(route.preHandler), preHandler]
    route.onSend = [...hooksOf(route.onSend), onSend]
  })

  const preHandler = async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method !== 'POST' || !req.principal) return
    const raw = req.headers['idempotency-key']
    if (raw === undefined) return
    const key = Array.isArray(raw) ? raw[0]! : raw
    if (!KEY_PATTERN.test(key)) {
      throw new ApiError('invalid_header', 'Idempotency-Key must be 1 to 255 visible ASCII characters')
    }
    const requestHash = sha256Hex(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`)
    const existing = await claimKey(db, req.principal, key, requestHash)
    if (!existing) {
      req.idempotencyKey = key
      return
    }
    if (existing.request_hash !== requestHash) {
      throw new ApiError(
        'idempotency_key_reused',
        'This Idempotency-Key was used with a different request; use a new key',
      )
    }
    if (existing.state === 'running') {
      throw new ApiError(
        'idempotency_key_in_use',
        'A request with this Idempotency-Key is still running; retry shortly',
      )
    }
    reply.header('idempotent-replayed', 'true')
    for (const [name, value] of Object.entries(existing.response_headers ?? {})) reply.header(name, value)
    return reply.code(existing.response_status ?? 200).send(existing.response_body ?? '')
  }

  const onSend = async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const key = req.idempotencyKey
    if (!key) return payload
    req.idempotencyKey = undefined
    if (reply.statusCode >= 500) {
      await releaseKey(db, req.principal, key)
    } else {
      const contentType = reply.getHeader('content-type')
      await completeKey(db, req.principal, key, {
        status: reply.statusCode,
        body: typeof payload === 'string' ? payload : String(payload ?? ''),
        headers: contentType ? { 'content-type': String(contentType) } : {},
      })
    }
    return payload
  }
}
