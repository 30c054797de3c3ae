import type { RouteContract } from './contract.js'
import type { TestApp } from './harness.js'

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
const newKey = async (h: TestApp, key: string) =>
  (await h.api('POST', '/api/v1/api_keys', { name: 'contract' }, { authorization: `Bearer ${key}` })).json().id

/** Every authenticated route of the API. A route missing here fails the completeness test below. */
export const ROUTES: RouteContract[] = [
  { method: 'GET', path: '/api/v1/contacts', scope: 'read' },
  { method: 'POST', path: '/api/v1/contacts', scope: 'write', body: { email: 'contract@example.com' } },
  { method: 'GET', path: '/api/v1/contacts/:id', scope: 'read', create: newContact },
  { method: 'PATCH', path: '/api/v1/contacts/:id', scope: 'write', body: { status: 'customer' }, create: newContact },
  { method: 'DELETE', path: '/api/v1/contacts/:id', scope: 'write', create: newContact },
  { method: 'GET', path: '/api/v1/events', scope: 'read' },
  { method: 'GET', path: '/api/v1/events/:id', scope: 'read', create: someEvent },
  { method: 'GET', path: '/api/v1/api_keys', scope: 'admin' },
  { method: 'POST', path: '/api/v1/api_keys', scope: 'admin', body: { name: 'contract' } },
  { method: 'DELETE', path: '/api/v1/api_keys/:id', scope: 'admin', create: newKey },
]
