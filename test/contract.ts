import { expect, test } from 'vitest'
import { SCOPES, type Scope } from '../src/core/tenancy.js'
import { type TestApp, testApp } from './harness.js'

/**
 * The contract's webhook endpoints point at a closed loopback port: on PostgreSQL a delivery
 * worker of another file may claim their deliveries, and must reach nothing beyond this machine.
 */
const CONTRACT_ENV = { RAPPORT_WEBHOOK_ALLOW_PRIVATE: '1' }

export interface RouteContract {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT'
  /** The path as registered, with `:id` where the object id goes. */
  path: string
  scope: Scope
  /** A valid body, so that only authentication, scope and tenancy decide the answer. */
  body?: unknown
  /** Creates the object that `:id` names, with the given key, and returns its id. */
  create?: (h: TestApp, key: string) => Promise<string>
  /** A public form route: it takes a publishable key, and any secret key is a 401 `invalid_api_key`. */
  publishable?: true
}

/**
 * The error code of an answer: `error.code` in the one envelope, or `code` beside the string
 * `error` of the route that answers in the CallMeBack dialect (POST /api/v1/form_responses).
 */
function codeOf(res: { json(): unknown }): string | undefined {
  const body = res.json() as { error: string | { code: string }; code?: string }
  return typeof body.error === 'string' ? body.code : body.error.code
}

/** Every scope but the route's: the key that must be refused. */
const allScopesBut = (scope: Scope): Scope[] => SCOPES.filter((s) => s !== scope)

/**
 * The contract every authenticated route keeps: 401 without a key or with a wrong one, 403 with a
 * key lacking the route's scope, and 404 for an object of another organization or another mode.
 */
export function routeContract(route: RouteContract) {
  const name = `${route.method} ${route.path}`
  const send = (h: TestApp, key: string | undefined, id = 'x_00000000000000000000000000') =>
    h.app.inject({
      method: route.method,
      url: route.path.replace(':id', id),
      headers: key ? { authorization: `Bearer ${key}` } : {},
      ...(route.body === undefined ? {} : { payload: route.body as object }),
    })

  test(`${name} answers 401 without a key and with an unknown key`, async () => {
    const h = await testApp({ env: CONTRACT_ENV })
    const none = await send(h, undefined)
    expect(none.statusCode).toBe(401)
    expect(codeOf(none)).toBe('unauthenticated')
    const bad = await send(h, 'rk_live_thisisnotakeythisisnotakey0000')
    expect(bad.statusCode).toBe(401)
    expect(codeOf(bad)).toBe('invalid_api_key')
  })

  if (route.publishable) {
    test(`${name} answers 401 to a secret key, whatever its scopes`, async () => {
      const h = await testApp({ env: CONTRACT_ENV })
      const res = await send(h, h.org.key)
      expect(res.statusCode).toBe(401)
      expect(codeOf(res)).toBe('invalid_api_key')
    })
  } else {
    test(`${name} answers 403 to a key without the "${route.scope}" scope`, async () => {
      const h = await testApp({ env: CONTRACT_ENV })
      const key = await h.newKey(h.org.id, { scopes: allScopesBut(route.scope) })
      const res = await send(h, key)
      expect(res.statusCode).toBe(403)
      expect(codeOf(res)).toBe('insufficient_scope')
    })
  }

  if (route.create) {
    const create = route.create
    test(`${name} answers 404 for an object of another organization or of the other mode`, async () => {
      const h = await testApp({ env: CONTRACT_ENV })
      const id = await create(h, h.org.key)
      const other = await h.newOrg()
      const testKey = await h.newKey(h.org.id, { mode: 'test' })
      for (const key of [other.key, testKey]) {
        const res = await send(h, key, id)
        expect(res.statusCode).toBe(404)
        expect(codeOf(res)).toBe('not_found')
      }
      const own = await send(h, h.org.key, id)
      expect(own.statusCode).toBeLessThan(300)
    })
  }
}
