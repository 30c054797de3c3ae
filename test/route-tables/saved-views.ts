import type { RouteContract } from '../contract.js'
import type { TestApp } from '../harness.js'

const VIEW = { resource: 'contacts', name: 'Contract view', columns: ['name', 'email'] }
const newView = async (h: TestApp, key: string): Promise<string> =>
  (await h.api('POST', '/api/v1/saved_views', VIEW, { authorization: `Bearer ${key}` })).json().id

/** The saved views of the workspace, checked by the shared route contract. */
export const SAVED_VIEWS_ROUTES: RouteContract[] = [
  { method: 'GET', path: '/api/v1/saved_views', scope: 'read' },
  { method: 'POST', path: '/api/v1/saved_views', scope: 'read', body: VIEW },
  { method: 'GET', path: '/api/v1/saved_views/:id', scope: 'read', create: newView },
  { method: 'PATCH', path: '/api/v1/saved_views/:id', scope: 'read', body: { name: 'Renamed' }, create: newView },
  { method: 'DELETE', path: '/api/v1/saved_views/:id', scope: 'read', create: newView },
]
