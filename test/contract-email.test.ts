import { describe } from 'vitest'
import { routeContract } from './contract.js'
import { DELIVERABILITY_ROUTES } from './route-tables/deliverability.js'
import { EMAIL_ROUTES } from './route-tables/email.js'

// The route contract is split over files by table (see contract-crm.test.ts).
describe('route contract: email', () => {
  for (const route of [...EMAIL_ROUTES, ...DELIVERABILITY_ROUTES])
    describe(`${route.method} ${route.path}`, () => routeContract(route))
})
