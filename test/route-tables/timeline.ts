import type { RouteContract } from '../contract.js'
import type { TestApp } from '../harness.js'

const as = (key: string) => ({ authorization: `Bearer ${key}` })
const newContact = async (h: TestApp, key: string): Promise<string> =>
  (await h.api('POST', '/api/v1/contacts', { email: `${Math.random()}@example.com` }, as(key))).json().id
const newTask = async (h: TestApp, key: string): Promise<string> =>
  (await h.api('POST', '/api/v1/tasks', { title: 'Contract task' }, as(key))).json().id
const newActivity = async (h: TestApp, key: string): Promise<string> =>
  (await h.api('POST', '/api/v1/activities', { type: 'call', summary: 'Contract call' }, as(key))).json().id
const newNote = async (h: TestApp, key: string): Promise<string> =>
  (
    await h.api('POST', '/api/v1/notes', { body: 'Contract note', contact_id: await newContact(h, key) }, as(key))
  ).json().id
const newTag = async (h: TestApp, key: string): Promise<string> =>
  (await h.api('POST', '/api/v1/tags', { name: `tag-${Math.random().toString(36).slice(2, 10)}` }, as(key))).json().id

/** The authenticated routes of the timeline module, checked by the shared route contract. */
export const TIMELINE_ROUTES: RouteContract[] = [
  { method: 'GET', path: '/api/v1/tasks', scope: 'read' },
  { method: 'POST', path: '/api/v1/tasks', scope: 'write', body: { title: 'Contract task' } },
  { method: 'GET', path: '/api/v1/tasks/:id', scope: 'read', create: newTask },
  { method: 'PATCH', path: '/api/v1/tasks/:id', scope: 'write', body: { title: 'Renamed' }, create: newTask },
  { method: 'POST', path: '/api/v1/tasks/:id/complete', scope: 'write', create: newTask },
  { method: 'DELETE', path: '/api/v1/tasks/:id', scope: 'write', create: newTask },
  { method: 'GET', path: '/api/v1/activities', scope: 'read' },
  { method: 'POST', path: '/api/v1/activities', scope: 'write', body: { type: 'call', summary: 'Contract call' } },
  { method: 'GET', path: '/api/v1/activities/:id', scope: 'read', create: newActivity },
  { method: 'PATCH', path: '/api/v1/activities/:id', scope: 'write', body: { summary: 'Edited' }, create: newActivity },
  { method: 'DELETE', path: '/api/v1/activities/:id', scope: 'write', create: newActivity },
  { method: 'GET', path: '/api/v1/notes', scope: 'read' },
  {
    method: 'POST',
    path: '/api/v1/notes',
    scope: 'write',
    body: { body: 'Contract note', contact_id: 'c_00000000000000000000000000' },
  },
  { method: 'GET', path: '/api/v1/notes/:id', scope: 'read', create: newNote },
  { method: 'PATCH', path: '/api/v1/notes/:id', scope: 'write', body: { body: 'Edited' }, create: newNote },
  { method: 'DELETE', path: '/api/v1/notes/:id', scope: 'write', create: newNote },
  { method: 'GET', path: '/api/v1/tags', scope: 'read' },
  { method: 'POST', path: '/api/v1/tags', scope: 'write', body: { name: 'contract' } },
  { method: 'GET', path: '/api/v1/tags/:id', scope: 'read', create: newTag },
  { method: 'PATCH', path: '/api/v1/tags/:id', scope: 'write', body: { name: 'renamed-contract' }, create: newTag },
  { method: 'DELETE', path: '/api/v1/tags/:id', scope: 'write', create: newTag },
  { method: 'GET', path: '/api/v1/contacts/:id/timeline', scope: 'read', create: newContact },
]
