import type { RouteContract } from '../contract.js'
import type { TestApp } from '../harness.js'

const newSuppression = async (h: TestApp, key: string) => {
  const email = `s.${Math.random().toString(36).slice(2, 10)}@example.com`
  const res = await h.api('POST', '/api/v1/suppressions', { email }, { authorization: `Bearer ${key}` })
  if (res.statusCode >= 300) throw new Error(`suppression: ${res.statusCode} ${res.body}`)
  return res.json().id as string
}

const newProviderHook = async (h: TestApp, key: string) => {
  const res = await h.api(
    'POST',
    '/api/v1/email/provider_hooks',
    { provider: 'postmark' },
    { authorization: `Bearer ${key}` },
  )
  if (res.statusCode >= 300) throw new Error(`provider hook: ${res.statusCode} ${res.body}`)
  return res.json().id as string
}

/** The deliverability routes (suppressions, provider hooks), checked by the shared route contract. */
export const DELIVERABILITY_ROUTES: RouteContract[] = [
  { method: 'GET', path: '/api/v1/suppressions', scope: 'read' },
  { method: 'POST', path: '/api/v1/suppressions', scope: 'write', body: { email: 'contract@example.com' } },
  { method: 'GET', path: '/api/v1/suppressions/:id', scope: 'read', create: newSuppression },
  { method: 'DELETE', path: '/api/v1/suppressions/:id', scope: 'write', create: newSuppression },
  { method: 'GET', path: '/api/v1/email/provider_hooks', scope: 'read' },
  { method: 'POST', path: '/api/v1/email/provider_hooks', scope: 'admin', body: { provider: 'postmark' } },
  { method: 'GET', path: '/api/v1/email/provider_hooks/:id', scope: 'read', create: newProviderHook },
  { method: 'DELETE', path: '/api/v1/email/provider_hooks/:id', scope: 'admin', create: newProviderHook },
  // Sending domains: their tenancy (another organization, the other mode) is checked in deliverability-dkim-dns.test.ts.
  { method: 'GET', path: '/api/v1/sending_domains', scope: 'read' },
  { method: 'GET', path: '/api/v1/sending_domains/:domain', scope: 'read' },
  { method: 'POST', path: '/api/v1/sending_domains/:domain/check', scope: 'write' },
  { method: 'POST', path: '/api/v1/sending_domains/:domain/rotate_dkim', scope: 'admin' },
]
