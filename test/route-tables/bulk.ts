import type { RouteContract } from '../contract.js'

/** The authenticated routes of the bulk module, checked by the shared route contract. */
export const BULK_ROUTES: RouteContract[] = [
  { method: 'POST', path: '/api/v1/contacts/import', scope: 'write' },
  {
    method: 'POST',
    path: '/api/v1/contacts/batch',
    scope: 'write',
    body: { contacts: [{ email: 'contract@example.com' }] },
  },
  {
    method: 'POST',
    path: '/api/v1/contacts/bulk_assign',
    scope: 'write',
    body: { ids: ['c_00000000000000000000000000'], owner_id: null },
  },
  {
    method: 'POST',
    path: '/api/v1/contacts/search',
    scope: 'read',
    body: { filter: { field: 'status', op: 'eq', value: 'lead' } },
  },
]
