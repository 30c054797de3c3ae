import { describe } from 'vitest'
import { routeContract } from './contract.js'
import { BILLING_ROUTES } from './route-tables/billing.js'
import { BULK_ROUTES } from './route-tables/bulk.js'
import { DEALS_ROUTES } from './route-tables/deals.js'
import { IMPORTS_ROUTES } from './route-tables/imports.js'
import { SAVED_VIEWS_ROUTES } from './route-tables/saved-views.js'
import { TIMELINE_ROUTES } from './route-tables/timeline.js'

// The route contract is split over files by table, so that both test workers share it; the tests
// of one file share one app, each with an organization of its own.
describe('route contract: deals, timeline, billing, bulk, imports and saved views', () => {
  for (const route of [
    ...DEALS_ROUTES,
    ...TIMELINE_ROUTES,
    ...BILLING_ROUTES,
    ...BULK_ROUTES,
    ...IMPORTS_ROUTES,
    ...SAVED_VIEWS_ROUTES,
  ]) {
    describe(`${route.method} ${route.path}`, () => routeContract(route))
  }
})
