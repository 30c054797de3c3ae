import type { RouteContract } from './contract.js'
import type { TestApp } from './harness.js'
import { BILLING_ROUTES } from './route-tables/billing.js'
import { BULK_ROUTES } from './route-tables/bulk.js'
import { DEALS_ROUTES } from './route-tables/deals.js'
import { DELIVERABILITY_ROUTES } from './route-tables/deliverability.js'
import { EMAIL_ROUTES } from './route-tables/email.js'
import { IMPORTS_ROUTES } from './route-tables/imports.js'
import { LEADS_ROUTES } from './route-tables/leads.js'
import { SAVED_VIEWS_ROUTES } from './route-tables/saved-views.js'
import { SCHEDULING_ROUTES } from './route-tables/scheduling.js'
import { TIMELINE_ROUTES } from './route-tables/timeline.js'

const newContact = async (h: TestApp, key: string) =>
  (
    await h.api(
      'POST',
      '/api/v1/contacts',
      { email: `${Math.random()}@example.com` },
      { authorization: `Bearer ${key}` },
    )
  ).json().id
const someEvent = async (h: TestApp, key: string) => {
  await newContact(h, key)
  return (await h.api('GET', '/api/v1/events', undefined, { authorization: `Bearer ${key}` })).json().data[0].id
}
/** A public IP literal: accepted without DNS (the tests have none) and never delivered to. */
const ENDPOINT_URL = 'http://127.0.0.1:9/rapport-contract'
const newEndpoint = async (h: TestApp, key: string) =>
  (
    await h.api(
      'POST',
      '/api/v1/webhook_endpoints',
      { url: ENDPOINT_URL, events: ['*'] },
      { authorization: `Bearer ${key}` },
    )
  ).json().id
/** A delivery: an endpoint subscribed to everything, then a change that fans out to it. */
const newDelivery = async (h: TestApp, key: string) => {
  const endpointId = await newEndpoint(h, key)
  await newContact(h, key)
  const list = await h.api('GET', `/api/v1/webhook_endpoints/${endpointId}/deliveries`, undefined, {
    authorization: `Bearer ${key}`,
  })
  return list.json().data[0].id
}
const newKey = async (h: TestApp, key: string) =>
  (await h.api('POST', '/api/v1/api_keys', { name: 'contract' }, { authorization: `Bearer ${key}` })).json().id

/**
 * Authenticated routes that only a dashboard session may use (a key is a 403 whatever its scopes),
 * so the key-based contract cannot run on them; each has its own tests (named beside it).
 */
export const SESSION_ONLY_ROUTES = [
  'PATCH /api/v1/me', // test/modules/team-profile.routes.test.ts
]

/** Every authenticated route of the API. A route missing here fails the completeness test below. */
export const ROUTES: RouteContract[] = [
  { method: 'GET', path: '/api/v1/contacts', scope: 'read' },
  { method: 'POST', path: '/api/v1/contacts', scope: 'write', body: { email: 'contract@example.com' } },
  { method: 'GET', path: '/api/v1/contacts/:id', scope: 'read', create: newContact },
  { method: 'PATCH', path: '/api/v1/contacts/:id', scope: 'write', body: { status: 'customer' }, create: newContact },
  { method: 'DELETE', path: '/api/v1/contacts/:id', scope: 'write', create: newContact },
  { method: 'GET', path: '/api/v1/events', scope: 'read' },
  { method: 'GET', path: '/api/v1/events/:id', scope: 'read', create: someEvent },
  { method: 'GET', path: '/api/v1/events/stream', scope: 'read' },
  { method: 'GET', path: '/api/v1/api_keys', scope: 'keys' },
  { method: 'POST', path: '/api/v1/api_keys', scope: 'keys', body: { name: 'contract' } },
  { method: 'DELETE', path: '/api/v1/api_keys/:id', scope: 'keys', create: newKey },
  { method: 'GET', path: '/api/v1/webhook_endpoints', scope: 'webhooks' },
  {
    method: 'POST',
    path: '/api/v1/webhook_endpoints',
    scope: 'webhooks',
    body: { url: ENDPOINT_URL, events: ['contact.created'] },
  },
  { method: 'GET', path: '/api/v1/webhook_endpoints/:id', scope: 'webhooks', create: newEndpoint },
  {
    method: 'PATCH',
    path: '/api/v1/webhook_endpoints/:id',
    scope: 'webhooks',
    body: { enabled: true },
    create: newEndpoint,
  },
  { method: 'DELETE', path: '/api/v1/webhook_endpoints/:id', scope: 'webhooks', create: newEndpoint },
  { method: 'GET', path: '/api/v1/webhook_endpoints/:id/secret', scope: 'webhooks', create: newEndpoint },
  { method: 'POST', path: '/api/v1/webhook_endpoints/:id/rotate_secret', scope: 'webhooks', create: newEndpoint },
  { method: 'GET', path: '/api/v1/webhooks', scope: 'webhooks' },
  { method: 'POST', path: '/api/v1/webhooks', scope: 'webhooks', body: { url: ENDPOINT_URL, kinds: ['FORM_SUBMIT'] } },
  { method: 'GET', path: '/api/v1/webhooks/:id', scope: 'webhooks', create: newEndpoint },
  { method: 'DELETE', path: '/api/v1/webhooks/:id', scope: 'webhooks', create: newEndpoint },
  { method: 'GET', path: '/api/v1/event_types', scope: 'read' },
  { method: 'GET', path: '/api/v1/webhook_endpoints/:id/deliveries', scope: 'webhooks', create: newEndpoint },
  { method: 'GET', path: '/api/v1/webhook_endpoints/:id/stats', scope: 'webhooks', create: newEndpoint },
  {
    method: 'POST',
    path: '/api/v1/webhook_endpoints/:id/recover',
    scope: 'webhooks',
    body: { since: '2026-01-01T00:00:00Z' },
    create: newEndpoint,
  },
  { method: 'POST', path: '/api/v1/webhook_endpoints/:id/test', scope: 'webhooks', create: newEndpoint },
  { method: 'GET', path: '/api/v1/webhook_deliveries/:id', scope: 'webhooks', create: newDelivery },
  { method: 'POST', path: '/api/v1/webhook_deliveries/:id/retry', scope: 'webhooks', create: newDelivery },
  { method: 'GET', path: '/api/v1/audit_log', scope: 'admin' },
  { method: 'GET', path: '/api/v1/usage', scope: 'admin' },
  // Invites, like users, belong to the organization in both modes: cross-org 404s in accounts.test.ts.
  { method: 'GET', path: '/api/v1/invites', scope: 'admin' },
  { method: 'POST', path: '/api/v1/invites', scope: 'admin', body: { email: 'contract@example.com', role: 'member' } },
  { method: 'DELETE', path: '/api/v1/invites/:id', scope: 'admin' },
  // Users are shared by live and test mode: their cross-org 404s are checked in users.routes.test.ts.
  { method: 'GET', path: '/api/v1/users', scope: 'read' },
  {
    method: 'POST',
    path: '/api/v1/users',
    scope: 'admin',
    body: { name: 'Contract', email: 'contract@example.com', username: 'contract-user' },
  },
  { method: 'GET', path: '/api/v1/users/:id', scope: 'read' },
  { method: 'PATCH', path: '/api/v1/users/:id', scope: 'admin', body: { name: 'Renamed' } },
  { method: 'DELETE', path: '/api/v1/users/:id', scope: 'admin' },
  // The organization's name (PATCH /api/v1/me is session-only: team-profile.routes.test.ts checks it).
  { method: 'PATCH', path: '/api/v1/organization', scope: 'admin', body: { name: 'Contract Co' } },
  ...DEALS_ROUTES,
  ...TIMELINE_ROUTES,
  ...BILLING_ROUTES,
  ...BULK_ROUTES,
  ...IMPORTS_ROUTES,
  ...EMAIL_ROUTES,
  ...DELIVERABILITY_ROUTES,
  ...SCHEDULING_ROUTES,
  ...LEADS_ROUTES,
  ...SAVED_VIEWS_ROUTES,
]
