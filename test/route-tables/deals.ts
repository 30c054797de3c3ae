import type { RouteContract } from '../contract.js'
import type { TestApp } from '../harness.js'

const post = async (h: TestApp, key: string, url: string, body: unknown): Promise<string> =>
  (await h.api('POST', url, body, { authorization: `Bearer ${key}` })).json().id
/** A pipeline that is not the default and holds no deals: it can be changed and deleted. */
const newPipeline = (h: TestApp, key: string) =>
  post(h, key, '/api/v1/pipelines', { name: `Contract ${Math.random().toString(36).slice(2, 10)}` })
/** An open stage next to others, holding no deals: it can be changed and deleted. */
const newStage = async (h: TestApp, key: string) =>
  post(h, key, `/api/v1/pipelines/${await newPipeline(h, key)}/stages`, { name: 'Contract stage' })
const newDeal = (h: TestApp, key: string) => post(h, key, '/api/v1/deals', { title: 'Contract deal', value: 100 })

/** The authenticated routes of the deals module, checked by the shared route contract. */
export const DEALS_ROUTES: RouteContract[] = [
  { method: 'GET', path: '/api/v1/pipelines', scope: 'read' },
  { method: 'POST', path: '/api/v1/pipelines', scope: 'admin', body: { name: 'Contract pipeline' } },
  { method: 'GET', path: '/api/v1/pipelines/:id', scope: 'read', create: newPipeline },
  { method: 'PATCH', path: '/api/v1/pipelines/:id', scope: 'admin', body: { name: 'Renamed' }, create: newPipeline },
  { method: 'DELETE', path: '/api/v1/pipelines/:id', scope: 'admin', create: newPipeline },
  {
    method: 'POST',
    path: '/api/v1/pipelines/:id/stages',
    scope: 'admin',
    body: { name: 'Added stage' },
    create: newPipeline,
  },
  { method: 'GET', path: '/api/v1/stages/:id', scope: 'read', create: newStage },
  { method: 'PATCH', path: '/api/v1/stages/:id', scope: 'admin', body: { name: 'Renamed stage' }, create: newStage },
  { method: 'DELETE', path: '/api/v1/stages/:id', scope: 'admin', create: newStage },
  { method: 'GET', path: '/api/v1/deals', scope: 'read' },
  { method: 'POST', path: '/api/v1/deals', scope: 'write', body: { title: 'Contract deal' } },
  { method: 'GET', path: '/api/v1/deals/:id', scope: 'read', create: newDeal },
  { method: 'PATCH', path: '/api/v1/deals/:id', scope: 'write', body: { title: 'Renamed deal' }, create: newDeal },
  { method: 'DELETE', path: '/api/v1/deals/:id', scope: 'write', create: newDeal },
]
