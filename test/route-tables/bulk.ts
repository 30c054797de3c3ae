import type { RouteContract } from '../contract.js'

/** The authenticated routes of the bulk module, checked by the shared route contract. */
export const BULK_ROUTES: RouteContract[] = []
