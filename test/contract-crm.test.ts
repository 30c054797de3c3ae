import { describe } from 'vitest'
import { routeContract } from './contract.js'
import { BILLING_ROUTES } from './route-tables/billing.js'
import { BULK_ROUTES } from './route-tables/bulk.js'
import { DEALS_ROUTES } from './route-tables/deals.js'
import { IMPORTS_ROUTES } from './route-tables/imports.js'
import { SAVED_VIEWS_ROUTES } from './route-tables/saved-views.js'
import { TIMELINE_ROUTES } from './route-tables/timeline.js'

// The route contract is split over files by table: every test builds an app, and the whole
// contract in one file outgrew a test worker's memory on PGlite.
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
