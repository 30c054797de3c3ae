import { describe, expect, test } from 'vitest'
import { mismatchedEvents } from '../event-schemas.js'

describe('the stored-event check', () => {
  const won = { id: 'd_1', title: 'Big deal', value: 12000, currency: 'USD', won_at: '2025-01-15T09:30:00.000Z' }

  test('accepts a payload that matches its catalog schema', () => {
    expect(mismatchedEvents([{ id: 'evt_1', type: 'deal.won', data: won }])).toEqual([])
  })

  test('reports a missing required field, a wrong type and an event outside the catalog', () => {
    const { won_at: _, ...withoutWonAt } = won
    const found = mismatchedEvents([
      { id: 'evt_1', type: 'deal.won', data: withoutWonAt },
      { id: 'evt_2', type: 'deal.won', data: { ...won, value: '12000' } },
      { id: 'evt_3', type: 'deal.exploded', data: {} },
    ])
    expect(found.map((m) => m.id)).toEqual(['evt_1', 'evt_2', 'evt_3'])
    expect(found[0]!.problems.join()).toContain('won_at')
    expect(found[1]!.problems.join()).toContain('/value')
    expect(found[2]!.problems).toEqual(['not an event of the catalog'])
  })
})
