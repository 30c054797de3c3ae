import type { RouteContract } from '../contract.js'

/** The authenticated routes of the timeline module, checked by the shared route contract. */
export const TIMELINE_ROUTES: RouteContract[] = []
