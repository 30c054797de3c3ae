import { describe } from 'vitest'
import { routeContract } from './contract.js'
import { LEADS_ROUTES } from './route-tables/leads.js'
import { SCHEDULING_ROUTES } from './route-tables/scheduling.js'

// The route contract is split over files by table (see contract-crm.test.ts).
describe('route contract: lead capture and scheduling', () => {
  for (const route of [...LEADS_ROUTES, ...SCHEDULING_ROUTES]) {
    describe(`${route.method} ${route.path}`, () => routeContract(route))
  }
})
