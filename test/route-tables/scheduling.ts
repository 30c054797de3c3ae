import type { RouteContract } from '../contract.js'

/** The authenticated routes of the scheduling module, checked by the shared route contract. */
export const SCHEDULING_ROUTES: RouteContract[] = []
