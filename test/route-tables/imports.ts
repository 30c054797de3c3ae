import type { RouteContract } from '../contract.js'
import type { TestApp } from '../harness.js'

/** An import job, uploaded with the given key (the worker need not run: the job exists once queued). */
const newImport = async (h: TestApp, key: string) =>
  (
    await h.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
      payload: 'email\ncontract@example.com\n',
    })
  ).json().id as string

/** The routes of import jobs, checked by the shared route contract. */
export const IMPORTS_ROUTES: RouteContract[] = [
  { method: 'POST', path: '/api/v1/imports', scope: 'write' },
  { method: 'GET', path: '/api/v1/imports', scope: 'read' },
  { method: 'GET', path: '/api/v1/imports/:id', scope: 'read', create: newImport },
  { method: 'GET', path: '/api/v1/imports/:id/errors', scope: 'read', create: newImport },
]
