import { describe } from 'vitest'
import { routeContract } from './contract.js'
import { EMAIL_ROUTES } from './route-tables/email.js'

// The email routes' contract runs in a file of its own: every test builds an app on the file's
// database, and the whole table in one file outgrew a test worker's memory on PGlite.
describe('route contract: email', () => {
  for (const route of EMAIL_ROUTES) describe(`${route.method} ${route.path}`, () => routeContract(route))
})
