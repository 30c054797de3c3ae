import type { RouteContract } from '../contract.js'

/** The authenticated routes of the billing module, checked by the shared route contract. */
export const BILLING_ROUTES: RouteContract[] = []
