import { describe, expect, test } from 'vitest'
import { listTotal, pageOf, shownOf } from '../../web/src/format.js'

describe('list totals as the dashboard shows them', () => {
  const exact = { total: 312, total_is_exact: true, limit: 25 }
  const capped = { total: 10_000, total_is_exact: false, limit: 25 }

  test('an exact total is shown as it is, and a capped one as a lower bound with a plus', () => {
    expect(listTotal(exact)).toBe((312).toLocaleString())
    expect(listTotal(capped)).toBe(`${(10_000).toLocaleString()}+`)
    expect(shownOf(25, capped)).toBe(`Showing 25 of ${(10_000).toLocaleString()}+`)
  })

  test('the page count follows the total: exact, a lower bound, and never below one page', () => {
    expect(pageOf(2, exact)).toBe('Page 2 of 13')
    expect(pageOf(2, capped)).toBe('Page 2 of 400+')
    expect(pageOf(1, { total: 0, total_is_exact: true, limit: 25 })).toBe('Page 1 of 1')
  })
})
