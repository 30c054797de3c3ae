import type { RouteContract } from '../contract.js'
import type { TestApp } from '../harness.js'

/* Fixtures shared by the lead-capture route contract and test/modules/{forms,teams,…}.test.ts. */
const auth = (key: string) => ({ authorization: `Bearer ${key}` })
const unique = () => Math.random().toString(36).slice(2, 10)

export async function newTeam(h: TestApp, key = h.org.key, name = `Team ${unique()}`): Promise<string> {
  const res = await h.api('POST', '/api/v1/teams', { name }, auth(key))
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json().id
}

export async function newDomain(h: TestApp, key = h.org.key): Promise<string> {
  const res = await h.api('POST', '/api/v1/domains', { hostname: `www.${unique()}.example` }, auth(key))
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json().id
}

export async function newForm(h: TestApp, key = h.org.key, form: Record<string, unknown> = {}): Promise<string> {
  const res = await h.api('POST', '/api/v1/forms', { name: 'Contact us', ...form }, auth(key))
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json().id
}

/** A submission's body with a random email (and any overrides of form_response or form_data). */
export function submission(formData: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    form_response: {
      form_data: { name: 'John Doe', email: `john.${unique()}@example.com`, phone: '+1234567890', ...formData },
      form_type: 'contact',
      ...extra,
    },
  }
}

export async function newFormResponse(h: TestApp, key = h.org.key, body = submission()): Promise<string> {
  const res = await h.api('POST', '/api/v1/form_responses', body, auth(key))
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json().id
}

/** A scheduled callback: a form offering callbacks, submitted with `callback_requested`. */
export async function newCallback(h: TestApp, key = h.org.key): Promise<string> {
  const formId = await newForm(h, key, { callback_enabled: true })
  await newFormResponse(
    h,
    key,
    submission({ callback_requested: true, preferred_time: '2030-01-02T15:00:00Z' }, { form_id: formId }),
  )
  const list = await h.api('GET', '/api/v1/callbacks', undefined, auth(key))
  return list.json().data[0].id
}

/** A notification: each form response records one. */
export async function newNotification(h: TestApp, key = h.org.key): Promise<string> {
  await newFormResponse(h, key)
  return (await h.api('GET', '/api/v1/notifications', undefined, auth(key))).json().data[0].id
}

/** A publishable key of the org (for PATCH /api/v1/api_keys/:id, registered by the leads module). */
export async function newPublishableKey(h: TestApp, key = h.org.key): Promise<string> {
  const res = await h.api(
    'POST',
    '/api/v1/api_keys',
    { type: 'publishable', allowed_origins: ['https://www.example.com'] },
    auth(key),
  )
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json().id
}

export const LEADS_ROUTES: RouteContract[] = [
  { method: 'GET', path: '/api/v1/teams', scope: 'read' },
  { method: 'POST', path: '/api/v1/teams', scope: 'write', body: { name: 'Contract team' } },
  { method: 'GET', path: '/api/v1/teams/:id', scope: 'read', create: newTeam },
  { method: 'PATCH', path: '/api/v1/teams/:id', scope: 'write', body: { description: 'Renamed' }, create: newTeam },
  { method: 'DELETE', path: '/api/v1/teams/:id', scope: 'write', create: newTeam },
  { method: 'GET', path: '/api/v1/domains', scope: 'read' },
  { method: 'POST', path: '/api/v1/domains', scope: 'leads', body: { hostname: 'contract.example.com' } },
  { method: 'GET', path: '/api/v1/domains/:id', scope: 'read', create: newDomain },
  { method: 'DELETE', path: '/api/v1/domains/:id', scope: 'leads', create: newDomain },
  { method: 'GET', path: '/api/v1/forms', scope: 'read' },
  { method: 'POST', path: '/api/v1/forms', scope: 'write', body: { name: 'Contract form' } },
  { method: 'GET', path: '/api/v1/forms/:id', scope: 'read', create: newForm },
  { method: 'PATCH', path: '/api/v1/forms/:id', scope: 'write', body: { name: 'Renamed' }, create: newForm },
  { method: 'DELETE', path: '/api/v1/forms/:id', scope: 'write', create: newForm },
  { method: 'PUT', path: '/api/v1/forms/:id/name', scope: 'write', body: { name: 'Renamed' }, create: newForm },
  { method: 'GET', path: '/api/v1/forms/:id/teams', scope: 'read', create: newForm },
  { method: 'PUT', path: '/api/v1/forms/:id/teams', scope: 'write', body: { teams: [] }, create: newForm },
  {
    method: 'POST',
    path: '/api/v1/form_responses',
    scope: 'leads',
    body: { form_response: { form_data: { email: 'contract@example.com' } } },
  },
  { method: 'GET', path: '/api/v1/form_responses', scope: 'read' },
  { method: 'GET', path: '/api/v1/form_responses/:id', scope: 'read', create: newFormResponse },
  { method: 'GET', path: '/api/v1/notifications', scope: 'read' },
  { method: 'POST', path: '/api/v1/notifications/:id/read', scope: 'write', create: newNotification },
  { method: 'POST', path: '/api/v1/notifications/read_all', scope: 'write' },
  { method: 'GET', path: '/api/v1/callbacks', scope: 'read' },
  { method: 'GET', path: '/api/v1/callbacks/:id', scope: 'read', create: newCallback },
  { method: 'POST', path: '/api/v1/callbacks/:id/complete', scope: 'write', create: newCallback },
  {
    method: 'PATCH',
    path: '/api/v1/api_keys/:id',
    scope: 'keys',
    body: { name: 'Renamed' },
    create: newPublishableKey,
  },
  /*
   * The public form routes take a publishable key, not a secret one. They keep the contract's part
   * that applies: 401 without a key or with an unknown one, and 401 (`invalid_api_key`) to any
   * secret key, whatever its scopes. Their own behaviour is in test/modules/public-forms.test.ts.
   */
  { method: 'GET', path: '/api/v1/forms/:id/public', scope: 'leads', publishable: true },
  {
    method: 'POST',
    path: '/api/v1/forms/:id/submissions',
    scope: 'leads',
    publishable: true,
    body: { data: { email: 'contract@example.com' }, token: 'contract' },
  },
]
