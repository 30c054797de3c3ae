import { describe, expect, test } from 'vitest'
import { routeContract } from './contract.js'
import { testApp } from './harness.js'
import { BILLING_ROUTES } from './route-tables/billing.js'
import { BULK_ROUTES } from './route-tables/bulk.js'
import { DEALS_ROUTES } from './route-tables/deals.js'
import { DELIVERABILITY_ROUTES } from './route-tables/deliverability.js'
import { EMAIL_ROUTES } from './route-tables/email.js'
import { IMPORTS_ROUTES } from './route-tables/imports.js'
import { LEADS_ROUTES } from './route-tables/leads.js'
import { SCHEDULING_ROUTES } from './route-tables/scheduling.js'
import { TIMELINE_ROUTES } from './route-tables/timeline.js'
import { ROUTES, SESSION_ONLY_ROUTES } from './routes.js'

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
    expect(served).toEqual([...ROUTES.map((r) => `${r.method} ${r.path}`), ...SESSION_ONLY_ROUTES].sort())
  })

  // The route tables run in files of their own (contract-*.test.ts); this file runs the rest.
  const elsewhere = new Set([
    ...EMAIL_ROUTES,
    ...DELIVERABILITY_ROUTES,
    ...DEALS_ROUTES,
    ...TIMELINE_ROUTES,
    ...BILLING_ROUTES,
    ...BULK_ROUTES,
    ...IMPORTS_ROUTES,
    ...LEADS_ROUTES,
    ...SCHEDULING_ROUTES,
  ])
  for (const route of ROUTES.filter((r) => !elsewhere.has(r))) {
    describe(`${route.method} ${route.path}`, () => routeContract(route))
  }
})
