import { sql } from 'kysely'
import { describe, expect, test } from 'vitest'
import { type TestApp, testApp } from '../harness.js'

type StageView = { id: string; name: string; kind: string; rotting_days: number | null }

const stagesOf = async (h: TestApp) => {
  const pipeline = (await h.api('GET', '/api/v1/pipelines')).json().data[0]
  return Object.fromEntries(pipeline.stages.map((s: StageView) => [s.name, s])) as Record<string, StageView>
}
/** Puts a deal's last change `days` before the database's now (as if nothing had happened since). */
const ageDeal = async (h: TestApp, id: string, days: number) => {
  await sql`update deals set updated_at = now() - make_interval(days => ${days}) where id = ${id}`.execute(h.deps.db)
}

describe('stage rotting_days', () => {
  test('is null on the standard stages, set on create and update, and validated', async () => {
    const h = await testApp()
    const { Lead } = await stagesOf(h)
    expect(Lead!.rotting_days).toBeNull()
    const set = await h.api('PATCH', `/api/v1/stages/${Lead!.id}`, { rotting_days: 7 })
    expect(set.statusCode).toBe(200)
    expect(set.json().rotting_days).toBe(7)
    expect((await h.api('PATCH', `/api/v1/stages/${Lead!.id}`, { rotting_days: 0 })).statusCode).toBe(422)
    expect((await h.api('PATCH', `/api/v1/stages/${Lead!.id}`, { rotting_days: null })).json().rotting_days).toBeNull()
    const pipeline = await h.api('POST', '/api/v1/pipelines', {
      name: 'Partners',
      stages: [
        { name: 'Intro', rotting_days: 3 },
        { name: 'Signed', kind: 'won' },
      ],
    })
    expect(pipeline.statusCode).toBe(201)
    expect(pipeline.json().stages.map((s: StageView) => s.rotting_days)).toEqual([3, null])
    const added = await h.api('POST', `/api/v1/pipelines/${pipeline.json().id}/stages`, {
      name: 'Pilot',
      rotting_days: 5,
    })
    expect(added.json().rotting_days).toBe(5)
  })
})

describe('deal rotting and last_activity_at', () => {
  test('an open deal idle longer than its stage’s rotting_days is rotting; a note on it ends that', async () => {
    const h = await testApp()
    const { Lead, Qualified } = await stagesOf(h)
    await h.api('PATCH', `/api/v1/stages/${Lead!.id}`, { rotting_days: 10 })
    const idle = (await h.api('POST', '/api/v1/deals', { title: 'Idle', stage_id: Lead!.id })).json()
    const fresh = (await h.api('POST', '/api/v1/deals', { title: 'Fresh', stage_id: Lead!.id })).json()
    const noLimit = (await h.api('POST', '/api/v1/deals', { title: 'No limit', stage_id: Qualified!.id })).json()
    expect(idle.rotting).toBe(false)
    await ageDeal(h, idle.id, 11)
    await ageDeal(h, fresh.id, 9)
    await ageDeal(h, noLimit.id, 400)
    const list = (await h.api('GET', '/api/v1/deals?limit=10')).json().data as { id: string; rotting: boolean }[]
    expect(Object.fromEntries(list.map((d) => [d.id, d.rotting]))).toEqual({
      [idle.id]: true,
      [fresh.id]: false,
      [noLimit.id]: false,
    })
    const before = (await h.api('GET', `/api/v1/deals/${idle.id}`)).json()
    expect(before.rotting).toBe(true)
    const contact = (await h.api('POST', '/api/v1/contacts', { email: 'keen@example.com' })).json()
    const note = await h.api('POST', '/api/v1/notes', {
      body: 'Called, they are still keen',
      contact_id: contact.id,
      deal_id: idle.id,
    })
    expect(note.statusCode).toBe(201)
    const after = (await h.api('GET', `/api/v1/deals/${idle.id}`)).json()
    expect(after.rotting).toBe(false)
    expect(after.last_activity_at).toBe(note.json().created_at)
    expect(Date.parse(after.last_activity_at)).toBeGreaterThan(Date.parse(before.last_activity_at))
  })

  test('a closed deal is never rotting', async () => {
    const h = await testApp()
    const { Won } = await stagesOf(h)
    await h.api('PATCH', `/api/v1/stages/${Won!.id}`, { rotting_days: 1 })
    const deal = (await h.api('POST', '/api/v1/deals', { title: 'Done', status: 'won' })).json()
    await ageDeal(h, deal.id, 30)
    expect((await h.api('GET', `/api/v1/deals/${deal.id}`)).json().rotting).toBe(false)
  })
})

describe('PATCH /api/v1/deals/:id won_reason and closed_at', () => {
  test('moving into the won stage with a reason and a date keeps both and emits deal.won with that date', async () => {
    const h = await testApp()
    const { Won } = await stagesOf(h)
    const deal = (await h.api('POST', '/api/v1/deals', { title: 'Big one', value: 900 })).json()
    const res = await h.api('PATCH', `/api/v1/deals/${deal.id}`, {
      stage_id: Won!.id,
      won_reason: 'Best fit for their workflow',
      closed_at: '2025-03-28T16:00:00.000Z',
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({
      status: 'won',
      won_reason: 'Best fit for their workflow',
      won_at: '2025-03-28T16:00:00.000Z',
      lost_reason: null,
    })
    const events = (await h.api('GET', '/api/v1/events?limit=10')).json().data
    expect(events[0]).toMatchObject({ event: 'deal.won', data: { id: deal.id, won_at: '2025-03-28T16:00:00.000Z' } })
    const reopened = (await h.api('PATCH', `/api/v1/deals/${deal.id}`, { status: 'open' })).json()
    expect(reopened).toMatchObject({ status: 'open', won_reason: null, won_at: null })
  })

  test('a won reason on a deal that is not won, or a closing date on an open deal, is refused (422)', async () => {
    const h = await testApp()
    const deal = (await h.api('POST', '/api/v1/deals', { title: 'Open one' })).json()
    const reason = await h.api('PATCH', `/api/v1/deals/${deal.id}`, { won_reason: 'Nice' })
    expect(reason.statusCode).toBe(422)
    expect(reason.json().error.details[0].field).toBe('won_reason')
    const date = await h.api('PATCH', `/api/v1/deals/${deal.id}`, { closed_at: '2025-03-28T16:00:00.000Z' })
    expect(date.statusCode).toBe(422)
    expect(date.json().error.details[0].field).toBe('closed_at')
    const lost = await h.api('PATCH', `/api/v1/deals/${deal.id}`, {
      status: 'lost',
      lost_reason: 'Budget',
      closed_at: '2025-02-01T10:00:00.000Z',
    })
    expect(lost.json()).toMatchObject({ status: 'lost', lost_reason: 'Budget', lost_at: '2025-02-01T10:00:00.000Z' })
  })
})
