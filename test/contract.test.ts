import { describe, expect, test } from 'vitest'
import { routeContract } from './contract.js'
import { testApp } from './harness.js'
import { EMAIL_ROUTES } from './route-tables/email.js'
import { ROUTES } from './routes.js'

describe('route contract', () => {
  test('covers every authenticated route the app serves', async () => {
    const h = await testApp()
    await h.app.ready()
    const doc = h.app.swagger() as { paths: Record<string, Record<string, unknown>> }
    const served = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/v1/'))
      .flatMap(([path, ops]) =>
        Object.entries(ops)
          // Keyless routes (sign-in, first-run setup) are how one gets credentials: not in the contract.
          .filter(([, op]) => (op as { security?: unknown[] }).security?.length !== 0)
          .map(([m]) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
      )
      .sort()
    expect(served).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort())
  })

  // The email routes run in contract-email.test.ts.
  for (const route of ROUTES.filter((r) => !EMAIL_ROUTES.includes(r))) {
    describe(`${route.method} ${route.path}`, () => routeContract(route))
  }
})
