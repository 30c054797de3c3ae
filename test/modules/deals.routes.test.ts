import { describe, expect, test } from 'vitest'
import { type TestApp, testApp } from '../harness.js'

type StageView = { id: string; name: string; kind: string }
type EventView = { event: string; data: Record<string, unknown> }

const STAGE_NAMES = ['Lead', 'Qualified', 'Proposal', 'Negotiation', 'Won', 'Lost'] as const
/** The default pipeline and its standard stages by name. */
const stagesOf = async (h: TestApp) => {
  const pipeline = (await h.api('GET', '/api/v1/pipelines')).json().data[0]
  const byName = Object.fromEntries(pipeline.stages.map((s: StageView) => [s.name, s]))
  return { pipeline, ...(byName as Record<(typeof STAGE_NAMES)[number], StageView>) }
}
const createDeal = async (h: TestApp, body: Record<string, unknown>) => {
  const res = await h.api('POST', '/api/v1/deals', body)
  expect(res.statusCode).toBe(201)
  return res.json()
}
/** Events of the org, oldest first, with their data. */
const events = async (h: TestApp): Promise<EventView[]> =>
  (await h.api('GET', '/api/v1/events?limit=100')).json().data.reverse()
const newUser = async (h: TestApp, orgId = h.org.id) => {
  const id = `user_${Math.random().toString(36).slice(2, 12)}`
  await h.deps.db
    .insertInto('users')
    .values({ id, org_id: orgId, name: 'Sam Seller', email: `${id}@example.com`, username: id })
    .execute()
  return id
}

describe('POST /api/v1/deals', () => {
  test('puts a deal without pipeline or stage into the default pipeline’s first open stage and emits deal.created', async () => {
    const h = await testApp()
    const { pipeline, Lead } = await stagesOf(h)
    const contact = (await h.api('POST', '/api/v1/contacts', { email: 'buyer@example.com' })).json()
    const deal = await createDeal(h, { title: 'Enterprise plan', value: 12000, contact_id: contact.id })
    expect(deal).toMatchObject({
      object: 'deal',
      title: 'Enterprise plan',
      value: '12000.00',
      currency: 'USD',
      pipeline_id: pipeline.id,
      stage_id: Lead.id,
      stage: 'Lead',
      status: 'open',
      contact_id: contact.id,
      owner_id: null,
      expected_close_date: null,
      lost_reason: null,
      won_at: null,
      lost_at: null,
    })
    expect(deal.id).toMatch(/^d_[0-9a-z]{26}$/)
    expect((await h.api('GET', `/api/v1/deals/${deal.id}`)).json()).toEqual(deal)
    expect(await h.eventTypes()).toEqual(['contact.created', 'deal.created'])
    expect((await events(h)).at(-1)!.data).toEqual({
      id: deal.id,
      title: 'Enterprise plan',
      value: 12000,
      currency: 'USD',
      stage: 'Lead',
      contact_id: contact.id,
    })
  })

  test('a stage_id alone implies its pipeline', async () => {
    const h = await testApp()
    const other = (
      await h.api('POST', '/api/v1/pipelines', { name: 'Partners', stages: [{ name: 'Intro' }, { name: 'Pilot' }] })
    ).json()
    const deal = await createDeal(h, { title: 'Pilot deal', stage_id: other.stages[1].id })
    expect(deal).toMatchObject({ pipeline_id: other.id, stage_id: other.stages[1].id, stage: 'Pilot' })
  })

  test('rejects a stage_id that does not belong to the given pipeline_id', async () => {
    const h = await testApp()
    const { Qualified } = await stagesOf(h)
    const other = (await h.api('POST', '/api/v1/pipelines', { name: 'Partners' })).json()
    const res = await h.api('POST', '/api/v1/deals', { title: 'X', pipeline_id: other.id, stage_id: Qualified.id })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details[0].field).toBe('stage_id')
    expect(await h.eventTypes()).toEqual([])
  })

  test('stores value exactly from a number or a decimal string and formats it to the currency’s minor digits', async () => {
    const h = await testApp()
    expect((await createDeal(h, { title: 'A', value: '1200' })).value).toBe('1200.00')
    expect((await createDeal(h, { title: 'B', value: 19.99 })).value).toBe('19.99')
    expect((await createDeal(h, { title: 'C', value: '9999999999999999.99' })).value).toBe('9999999999999999.99')
    const yen = await createDeal(h, { title: 'D', value: '1200', currency: 'jpy' })
    expect(yen).toMatchObject({ value: '1200', currency: 'JPY' })
    expect((await createDeal(h, { title: 'E', value: '1.234', currency: 'BHD' })).value).toBe('1.234')
    expect((await createDeal(h, { title: 'F' })).value).toBe('0.00')
  })

  test('rejects more decimals than the currency allows, malformed amounts and unknown currencies with 422', async () => {
    const h = await testApp()
    for (const [body, field] of [
      [{ value: '10.999' }, 'value'],
      [{ value: '10.5', currency: 'JPY' }, 'value'],
      [{ value: 0.1 + 0.2 }, 'value'],
      [{ value: '12abc' }, 'value'],
      [{ value: '-5' }, 'value'],
      [{ value: -5 }, 'value'],
      [{ currency: 'ZZZ' }, 'currency'],
      [{ currency: 'dollars' }, 'currency'],
    ] as const) {
      const res = await h.api('POST', '/api/v1/deals', { title: 'Bad', ...body })
      expect(res.statusCode, JSON.stringify(body)).toBe(422)
      expect(res.json().error.details[0].field).toBe(field)
    }
    expect(await h.eventTypes()).toEqual([])
  })

  test('defaults the currency to the organization’s currency', async () => {
    const h = await testApp()
    await h.deps.db.updateTable('organizations').set({ currency: 'EUR' }).where('id', '=', h.org.id).execute()
    expect((await createDeal(h, { title: 'Euro', value: 5 })).currency).toBe('EUR')
  })

  test('rejects a contact of another organization or of the other mode, and an unknown owner, naming the field', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    for (const key of [other.key, testKey]) {
      const contact = (
        await h.api('POST', '/api/v1/contacts', { email: 'x@example.com' }, { authorization: `Bearer ${key}` })
      ).json()
      const res = await h.api('POST', '/api/v1/deals', { title: 'X', contact_id: contact.id })
      expect(res.statusCode).toBe(422)
      expect(res.json().error.details[0].field).toBe('contact_id')
    }
    const foreignUser = await newUser(h, other.id)
    const res = await h.api('POST', '/api/v1/deals', { title: 'X', owner_id: foreignUser })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details[0].field).toBe('owner_id')
    const owner = await newUser(h)
    expect((await createDeal(h, { title: 'Owned', owner_id: owner })).owner_id).toBe(owner)
  })

  test('rejects unknown fields and a missing title', async () => {
    const h = await testApp()
    const res = await h.api('POST', '/api/v1/deals', { title: 'X', amount: 5 })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details).toEqual([{ field: 'amount', message: 'Unknown field' }])
    const missing = await h.api('POST', '/api/v1/deals', { value: 5 })
    expect(missing.statusCode).toBe(422)
    expect(missing.json().error.details[0].field).toBe('title')
  })

  test('a deal created as won goes to the won stage and emits deal.won too', async () => {
    const h = await testApp()
    const { Won } = await stagesOf(h)
    const deal = await createDeal(h, { title: 'Done', status: 'won', value: 10 })
    expect(deal).toMatchObject({ stage_id: Won.id, stage: 'Won', status: 'won' })
    expect(deal.won_at).not.toBeNull()
    expect(await h.eventTypes()).toEqual(['deal.created', 'deal.won'])
  })

  test('creates a deal in the default pipeline of an organization that predates pipelines', async () => {
    const h = await testApp()
    await h.deps.db.deleteFrom('pipelines').where('org_id', '=', h.org.id).execute()
    const deal = await createDeal(h, { title: 'First' })
    expect(deal.stage).toBe('Lead')
    const pipelines = (await h.api('GET', '/api/v1/pipelines')).json().data
    expect(pipelines).toHaveLength(1)
    expect(pipelines[0].id).toBe(deal.pipeline_id)
  })
})

describe('PATCH /api/v1/deals/:id', () => {
  test('emits deal.updated with only the changed fields, and nothing when nothing changes', async () => {
    const h = await testApp()
    const deal = await createDeal(h, { title: 'Plan', value: '100' })
    const same = await h.api('PATCH', `/api/v1/deals/${deal.id}`, { title: 'Plan', value: 100.0 })
    expect(same.statusCode).toBe(200)
    expect(same.json()).toEqual(deal)
    const res = await h.api('PATCH', `/api/v1/deals/${deal.id}`, {
      title: 'Plan',
      value: '150.5',
      expected_close_date: '2025-03-31',
    })
    expect(res.json()).toMatchObject({ value: '150.50', expected_close_date: '2025-03-31' })
    expect(await h.eventTypes()).toEqual(['deal.created', 'deal.updated'])
    expect((await events(h)).at(-1)!.data).toEqual({
      id: deal.id,
      changes: { value: 150.5, expected_close_date: '2025-03-31' },
      currency: 'USD',
    })
  })

  test('moving to another stage emits deal.stage_changed with stage names and the value', async () => {
    const h = await testApp()
    const { Proposal } = await stagesOf(h)
    const deal = await createDeal(h, { title: 'Move me', value: 12000 })
    const res = await h.api('PATCH', `/api/v1/deals/${deal.id}`, { stage_id: Proposal.id })
    expect(res.json()).toMatchObject({ stage_id: Proposal.id, stage: 'Proposal', status: 'open' })
    expect(await h.eventTypes()).toEqual(['deal.created', 'deal.updated', 'deal.stage_changed'])
    const last = (await events(h)).at(-1)!
    expect(last.data).toEqual({
      id: deal.id,
      previous_stage: 'Lead',
      new_stage: 'Proposal',
      value: 12000,
      currency: 'USD',
    })
  })

  test('moving into the won stage sets status and won_at and emits deal.won; reopening clears won_at', async () => {
    const h = await testApp()
    const { Won, Negotiation } = await stagesOf(h)
    const deal = await createDeal(h, { title: 'Big one', value: 500 })
    const won = (await h.api('PATCH', `/api/v1/deals/${deal.id}`, { stage_id: Won.id })).json()
    expect(won).toMatchObject({ status: 'won', stage: 'Won', lost_at: null })
    expect(Date.parse(won.won_at)).toBeGreaterThan(0)
    const wonEvent = (await events(h)).find((e) => e.event === 'deal.won')!
    expect(wonEvent.data).toEqual({ id: deal.id, title: 'Big one', value: 500, currency: 'USD', won_at: won.won_at })

    const reopened = (await h.api('PATCH', `/api/v1/deals/${deal.id}`, { status: 'open' })).json()
    expect(reopened).toMatchObject({ status: 'open', won_at: null, stage_id: Negotiation.id })
    expect(await h.eventTypes()).toEqual([
      'deal.created',
      'deal.updated',
      'deal.stage_changed',
      'deal.won',
      'deal.updated',
      'deal.stage_changed',
    ])
  })

  test('setting status lost moves the deal into the lost stage with its reason and emits deal.lost', async () => {
    const h = await testApp()
    const { Lost } = await stagesOf(h)
    const deal = await createDeal(h, { title: 'Starter plan' })
    const lost = (
      await h.api('PATCH', `/api/v1/deals/${deal.id}`, { status: 'lost', lost_reason: 'Went with a competitor' })
    ).json()
    expect(lost).toMatchObject({ status: 'lost', stage_id: Lost.id, lost_reason: 'Went with a competitor' })
    expect(lost.lost_at).not.toBeNull()
    const last = (await events(h)).at(-1)!
    expect(last).toMatchObject({
      event: 'deal.lost',
      data: { id: deal.id, title: 'Starter plan', reason: 'Went with a competitor' },
    })
  })

  test('in a pipeline without a won stage, status won keeps the deal in its open stage', async () => {
    const h = await testApp()
    const p = (await h.api('POST', '/api/v1/pipelines', { name: 'Simple', stages: [{ name: 'Doing' }] })).json()
    const deal = await createDeal(h, { title: 'Simple', pipeline_id: p.id })
    const won = (await h.api('PATCH', `/api/v1/deals/${deal.id}`, { status: 'won' })).json()
    expect(won).toMatchObject({ status: 'won', stage: 'Doing' })
    expect(won.won_at).not.toBeNull()
    expect(await h.eventTypes()).toEqual(['deal.created', 'deal.updated', 'deal.won'])
  })

  test('rejects a status that contradicts the stage, and a lost reason on a deal that is not lost', async () => {
    const h = await testApp()
    const { Won, Qualified } = await stagesOf(h)
    const deal = await createDeal(h, { title: 'X' })
    for (const body of [
      { stage_id: Won.id, status: 'lost' },
      { stage_id: Qualified.id, status: 'won' },
    ]) {
      const res = await h.api('PATCH', `/api/v1/deals/${deal.id}`, body)
      expect(res.statusCode).toBe(422)
      expect(res.json().error.details[0].field).toBe('status')
    }
    const reason = await h.api('PATCH', `/api/v1/deals/${deal.id}`, { lost_reason: 'Too pricey' })
    expect(reason.statusCode).toBe(422)
    expect(reason.json().error.details[0].field).toBe('lost_reason')
  })

  test('moving to another pipeline’s stage needs pipeline_id; with it the deal moves', async () => {
    const h = await testApp()
    const other = (await h.api('POST', '/api/v1/pipelines', { name: 'Partners' })).json()
    const deal = await createDeal(h, { title: 'Switch' })
    const bare = await h.api('PATCH', `/api/v1/deals/${deal.id}`, { stage_id: other.stages[1].id })
    expect(bare.statusCode).toBe(422)
    expect(bare.json().error.details[0].field).toBe('stage_id')
    const moved = await h.api('PATCH', `/api/v1/deals/${deal.id}`, {
      pipeline_id: other.id,
      stage_id: other.stages[1].id,
    })
    expect(moved.statusCode).toBe(200)
    expect(moved.json()).toMatchObject({ pipeline_id: other.id, stage_id: other.stages[1].id })
    const back = (await h.api('PATCH', `/api/v1/deals/${deal.id}`, { pipeline_id: deal.pipeline_id })).json()
    expect(back).toMatchObject({ pipeline_id: deal.pipeline_id, stage: 'Lead' })
  })

  test('changing the currency re-checks the value’s decimals', async () => {
    const h = await testApp()
    const deal = await createDeal(h, { title: 'Cents', value: '10.50' })
    const res = await h.api('PATCH', `/api/v1/deals/${deal.id}`, { currency: 'JPY' })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details[0].field).toBe('currency')
    const ok = await h.api('PATCH', `/api/v1/deals/${deal.id}`, { currency: 'JPY', value: 1050 })
    expect(ok.json()).toMatchObject({ currency: 'JPY', value: '1050' })
  })

  test('honours If-Match: applies with the current ETag, answers 412 with a stale one', async () => {
    const h = await testApp()
    const deal = await createDeal(h, { title: 'Guarded' })
    const got = await h.api('GET', `/api/v1/deals/${deal.id}`)
    const etag = got.headers.etag as string
    const ok = await h.api('PATCH', `/api/v1/deals/${deal.id}`, { title: 'Guarded 2' }, { 'if-match': etag })
    expect(ok.statusCode).toBe(200)
    expect(ok.headers.etag).toBeDefined()
    expect(ok.headers.etag).not.toBe(etag)
    const stale = await h.api('PATCH', `/api/v1/deals/${deal.id}`, { title: 'Guarded 3' }, { 'if-match': etag })
    expect(stale.statusCode).toBe(412)
    const staleDelete = await h.api('DELETE', `/api/v1/deals/${deal.id}`, undefined, { 'if-match': etag })
    expect(staleDelete.statusCode).toBe(412)
    expect((await h.api('GET', `/api/v1/deals/${deal.id}`)).json().title).toBe('Guarded 2')
  })

  test('rejects an empty body and unknown fields', async () => {
    const h = await testApp()
    const deal = await createDeal(h, { title: 'X' })
    expect((await h.api('PATCH', `/api/v1/deals/${deal.id}`, {})).statusCode).toBe(422)
    const res = await h.api('PATCH', `/api/v1/deals/${deal.id}`, { won_at: '2025-01-01T00:00:00Z' })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details[0].field).toBe('won_at')
  })
})

describe('DELETE /api/v1/deals/:id', () => {
  test('deletes the deal and emits deal.deleted with id and title', async () => {
    const h = await testApp()
    const deal = await createDeal(h, { title: 'Gone' })
    const res = await h.api('DELETE', `/api/v1/deals/${deal.id}`)
    expect(res.json()).toEqual({ id: deal.id, object: 'deal', deleted: true })
    expect((await h.api('GET', `/api/v1/deals/${deal.id}`)).statusCode).toBe(404)
    expect((await events(h)).at(-1)).toMatchObject({ event: 'deal.deleted', data: { id: deal.id, title: 'Gone' } })
  })

  test('deleting a contact unlinks it from its deals, which still list', async () => {
    const h = await testApp()
    const contact = (await h.api('POST', '/api/v1/contacts', { email: 'gone@example.com' })).json()
    const deal = await createDeal(h, { title: 'Linked', contact_id: contact.id })
    expect((await h.api('DELETE', `/api/v1/contacts/${contact.id}`)).statusCode).toBe(200)
    expect((await h.api('GET', `/api/v1/deals/${deal.id}`)).json().contact_id).toBeNull()
    const list = (await h.api('GET', '/api/v1/deals')).json()
    expect(list.data.map((d: { id: string; contact_id: string | null }) => [d.id, d.contact_id])).toEqual([
      [deal.id, null],
    ])
    expect((await h.api('GET', `/api/v1/deals?contact_id=${contact.id}`)).json().data).toEqual([])
  })
})

describe('GET /api/v1/deals', () => {
  test('filters by stage, status, contact, owner, value range and dates', async () => {
    const h = await testApp()
    const { Qualified } = await stagesOf(h)
    const contact = (await h.api('POST', '/api/v1/contacts', { email: 'f@example.com' })).json()
    const owner = await newUser(h)
    const a = await createDeal(h, { title: 'Alpha', value: 100, expected_close_date: '2025-01-10' })
    const b = await createDeal(h, {
      title: 'Beta',
      value: '2500.50',
      stage_id: Qualified.id,
      contact_id: contact.id,
      owner_id: owner,
      expected_close_date: '2025-02-10',
    })
    const c = await createDeal(h, { title: 'Gamma', value: 9000, status: 'lost' })
    const ids = async (query: string) =>
      (await h.api('GET', `/api/v1/deals?${query}`)).json().data.map((d: { id: string }) => d.id)
    expect(await ids(`stage_id=${Qualified.id}`)).toEqual([b.id])
    expect(await ids('status=lost')).toEqual([c.id])
    expect(await ids(`contact_id=${contact.id}`)).toEqual([b.id])
    expect(await ids(`owner_id=${owner}`)).toEqual([b.id])
    expect(await ids('value_gte=100&value_lte=2500.50&sort=value')).toEqual([a.id, b.id])
    expect(await ids('value_gte=100.01&sort=value')).toEqual([b.id, c.id])
    expect(await ids('expected_close_after=2025-01-10&expected_close_before=2025-01-31')).toEqual([a.id])
    expect(await ids(`pipeline_id=${a.pipeline_id}&q=amm`)).toEqual([c.id])
    expect(await ids(`created_after=${encodeURIComponent(b.created_at)}&sort=created_at`)).toEqual([b.id, c.id])
  })

  test('sorts by value and pages with a cursor across equal values', async () => {
    const h = await testApp()
    for (const value of ['5', '100', '20', '20', '1000.5']) await createDeal(h, { title: `V${value}`, value })
    const first = (await h.api('GET', '/api/v1/deals?sort=-value&limit=2')).json()
    expect(first.data.map((d: { value: string }) => d.value)).toEqual(['1000.50', '100.00'])
    const rest = (
      await h.api('GET', `/api/v1/deals?sort=-value&limit=10&cursor=${first.pagination.next_cursor}`)
    ).json()
    expect(rest.data.map((d: { value: string }) => d.value)).toEqual(['20.00', '20.00', '5.00'])
    expect(first.pagination.total).toBe(5)
  })

  test('sorts by expected close date with undated deals last', async () => {
    const h = await testApp()
    await createDeal(h, { title: 'Undated' })
    await createDeal(h, { title: 'Later', expected_close_date: '2025-06-01' })
    await createDeal(h, { title: 'Sooner', expected_close_date: '2025-02-01' })
    const titles = (await h.api('GET', '/api/v1/deals?sort=expected_close_date'))
      .json()
      .data.map((d: { title: string }) => d.title)
    expect(titles).toEqual(['Sooner', 'Later', 'Undated'])
  })

  test('shows neither another organization’s deals nor the other mode’s', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    await createDeal(h, { title: 'Live' })
    for (const key of [other.key, testKey]) {
      const list = (await h.api('GET', '/api/v1/deals', undefined, { authorization: `Bearer ${key}` })).json()
      expect(list.data).toEqual([])
    }
    const sandbox = await h.api('POST', '/api/v1/deals', { title: 'Sandbox' }, { authorization: `Bearer ${testKey}` })
    expect(sandbox.statusCode).toBe(201)
    const livePipelines = (await h.api('GET', '/api/v1/pipelines')).json().data.map((p: { id: string }) => p.id)
    expect(livePipelines).not.toContain(sandbox.json().pipeline_id)
  })

  test('rejects an unknown sort and a malformed value filter', async () => {
    const h = await testApp()
    expect((await h.api('GET', '/api/v1/deals?sort=owner')).statusCode).toBe(400)
    expect((await h.api('GET', '/api/v1/deals?value_gte=abc')).statusCode).toBe(400)
  })
})

describe('stage by name', () => {
  test('POST takes stage by name without regard to case, in the default pipeline', async () => {
    const h = await testApp()
    const { Qualified, Won } = await stagesOf(h)
    const deal = await createDeal(h, { title: 'By name', stage: 'qualified' })
    expect(deal).toMatchObject({ stage_id: Qualified.id, stage: 'Qualified', status: 'open' })
    const won = await createDeal(h, { title: 'Won by name', stage: ' WON ' })
    expect(won).toMatchObject({ stage_id: Won.id, status: 'won' })
  })

  test('PATCH moves a deal to a stage of its own pipeline by name, and emits deal.stage_changed', async () => {
    const h = await testApp()
    const { Proposal } = await stagesOf(h)
    const deal = await createDeal(h, { title: 'Moving' })
    const res = await h.api('PATCH', `/api/v1/deals/${deal.id}`, { stage: 'PROPOSAL' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ stage_id: Proposal.id, stage: 'Proposal' })
    expect((await events(h)).map((e) => e.event)).toContain('deal.stage_changed')
  })

  test('looks the name up in the pipeline_id sent, not in the default pipeline', async () => {
    const h = await testApp()
    const pipeline = (
      await h.api('POST', '/api/v1/pipelines', {
        name: 'Renewals',
        stages: [
          { name: 'Due', kind: 'open' },
          { name: 'Renewed', kind: 'won' },
        ],
      })
    ).json()
    const deal = await createDeal(h, { title: 'Renewal', pipeline_id: pipeline.id, stage: 'renewed' })
    expect(deal).toMatchObject({ pipeline_id: pipeline.id, stage: 'Renewed', status: 'won' })
    const wrong = await h.api('POST', '/api/v1/deals', { title: 'Nope', pipeline_id: pipeline.id, stage: 'Qualified' })
    expect(wrong.statusCode).toBe(422)
    expect(wrong.json().error.details[0]).toMatchObject({ field: 'stage' })
    expect(wrong.json().error.details[0].message).toBe(
      'No stage "Qualified" in this pipeline; its stages are: Due, Renewed',
    )
  })

  test('an unknown name is a 422 listing the pipeline’s stage names, and nothing is written', async () => {
    const h = await testApp()
    const res = await h.api('POST', '/api/v1/deals', { title: 'Unknown', stage: 'Closing' })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details).toEqual([
      {
        field: 'stage',
        message:
          'No stage "Closing" in this pipeline; its stages are: Lead, Qualified, Proposal, Negotiation, Won, Lost',
      },
    ])
    expect(await h.eventTypes()).toEqual([])
    const deal = await createDeal(h, { title: 'Known' })
    const patch = await h.api('PATCH', `/api/v1/deals/${deal.id}`, { stage: 'Closing' })
    expect(patch.statusCode).toBe(422)
  })

  test('stage and stage_id naming different stages is a 422; naming the same one is fine', async () => {
    const h = await testApp()
    const { Lead, Qualified } = await stagesOf(h)
    const clash = await h.api('POST', '/api/v1/deals', { title: 'Clash', stage: 'Lead', stage_id: Qualified.id })
    expect(clash.statusCode).toBe(422)
    expect(clash.json().error.details[0].field).toBe('stage')
    const same = await createDeal(h, { title: 'Same', stage: 'lead', stage_id: Lead.id })
    expect(same.stage_id).toBe(Lead.id)
  })
})
