import type { RouteContract } from '../contract.js'

/** The authenticated routes of the deals module, checked by the shared route contract. */
export const DEALS_ROUTES: RouteContract[] = []
