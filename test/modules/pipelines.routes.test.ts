import { describe, expect, test } from 'vitest'
import { type TestApp, testApp } from '../harness.js'

type StageView = { id: string; name: string; position: number; kind: string }
const STANDARD = [
  ['Lead', 'open'],
  ['Qualified', 'open'],
  ['Proposal', 'open'],
  ['Negotiation', 'open'],
  ['Won', 'won'],
  ['Lost', 'lost'],
]
const shape = (stages: StageView[]) => stages.map((s) => [s.name, s.kind])
const defaultPipeline = async (h: TestApp, key = h.org.key) =>
  (await h.api('GET', '/api/v1/pipelines', undefined, { authorization: `Bearer ${key}` })).json().data[0]

describe('default pipeline', () => {
  test('a new organization has a default pipeline with the standard stages in live and in test mode', async () => {
    const h = await testApp()
    const live = (await h.api('GET', '/api/v1/pipelines')).json()
    expect(live.data).toHaveLength(1)
    expect(live.data[0]).toMatchObject({ object: 'pipeline', name: 'Sales pipeline', position: 0, is_default: true })
    expect(live.data[0].id).toMatch(/^pl_[0-9a-z]{26}$/)
    expect(shape(live.data[0].stages)).toEqual(STANDARD)
    expect(live.data[0].stages.map((s: StageView) => s.position)).toEqual([0, 1, 2, 3, 4, 5])
    expect(live.data[0].stages[0].id).toMatch(/^st_[0-9a-z]{26}$/)
    expect(live.pagination).toMatchObject({ page: 1, total: 1, has_more: false })

    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    const sandbox = await defaultPipeline(h, testKey)
    expect(sandbox.id).not.toBe(live.data[0].id)
    expect(shape(sandbox.stages)).toEqual(STANDARD)
  })

  test('an organization created before pipelines gets exactly one default, even from concurrent requests', async () => {
    const h = await testApp()
    await h.deps.db.deleteFrom('pipelines').where('org_id', '=', h.org.id).execute()
    const answers = await Promise.all(Array.from({ length: 5 }, () => h.api('GET', '/api/v1/pipelines')))
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200])
    const rows = await h.deps.db
      .selectFrom('pipelines')
      .select(['id', 'livemode'])
      .where('org_id', '=', h.org.id)
      .execute()
    expect(rows).toHaveLength(1)
    expect(new Set(answers.map((a) => a.json().data[0].id))).toEqual(new Set([rows[0]!.id]))
    const stages = await h.deps.db.selectFrom('stages').select('id').where('pipeline_id', '=', rows[0]!.id).execute()
    expect(stages).toHaveLength(6)
  })

  test('the default pipeline cannot be deleted', async () => {
    const h = await testApp()
    const pipeline = await defaultPipeline(h)
    const res = await h.api('DELETE', `/api/v1/pipelines/${pipeline.id}`)
    expect(res.statusCode).toBe(409)
    expect(res.json().error.code).toBe('conflict')
  })
})

describe('POST/PATCH/DELETE /api/v1/pipelines', () => {
  test('creates a pipeline with given stages, places it by position and can make it the default', async () => {
    const h = await testApp()
    const original = await defaultPipeline(h)
    const res = await h.api('POST', '/api/v1/pipelines', {
      name: 'Partnerships',
      position: 0,
      is_default: true,
      stages: [{ name: 'Intro' }, { name: 'Signed', kind: 'won' }],
    })
    expect(res.statusCode).toBe(201)
    const created = res.json()
    expect(created).toMatchObject({ name: 'Partnerships', position: 0, is_default: true })
    expect(shape(created.stages)).toEqual([
      ['Intro', 'open'],
      ['Signed', 'won'],
    ])
    const list = (await h.api('GET', '/api/v1/pipelines')).json().data
    expect(
      list.map((p: { id: string; position: number; is_default: boolean }) => [p.id, p.position, p.is_default]),
    ).toEqual([
      [created.id, 0, true],
      [original.id, 1, false],
    ])
  })

  test('gives a pipeline created without stages the standard stages', async () => {
    const h = await testApp()
    const res = await h.api('POST', '/api/v1/pipelines', { name: 'Renewals' })
    expect(res.statusCode).toBe(201)
    expect(shape(res.json().stages)).toEqual(STANDARD)
    expect(res.json()).toMatchObject({ position: 1, is_default: false })
  })

  test('rejects stage sets without an open stage, with two won stages, or with duplicate names', async () => {
    const h = await testApp()
    for (const stages of [
      [{ name: 'Won', kind: 'won' }],
      [{ name: 'A' }, { name: 'W1', kind: 'won' }, { name: 'W2', kind: 'won' }],
      [{ name: 'A' }, { name: 'a' }],
    ]) {
      const res = await h.api('POST', '/api/v1/pipelines', { name: 'Bad', stages })
      expect(res.statusCode).toBe(422)
      expect(res.json().error.details[0].field).toBe('stages')
    }
    expect((await h.api('GET', '/api/v1/pipelines')).json().pagination.total).toBe(1)
  })

  test('rejects unknown fields and a duplicate pipeline name', async () => {
    const h = await testApp()
    const unknown = await h.api('POST', '/api/v1/pipelines', { name: 'X', color: 'red' })
    expect(unknown.statusCode).toBe(422)
    expect(unknown.json().error.details).toEqual([{ field: 'color', message: 'Unknown field' }])
    const dup = await h.api('POST', '/api/v1/pipelines', { name: 'sales PIPELINE' })
    expect(dup.statusCode).toBe(409)
    expect(dup.json().error).toMatchObject({ code: 'already_exists', details: [{ field: 'name' }] })
  })

  test('renames, reorders stages with stage_ids and honours If-Match with the ETag of GET', async () => {
    const h = await testApp()
    const pipeline = await defaultPipeline(h)
    const got = await h.api('GET', `/api/v1/pipelines/${pipeline.id}`)
    const etag = got.headers.etag as string
    expect(etag).toMatch(/^"/)
    const reversed = [...pipeline.stages].reverse().map((s: StageView) => s.id)
    const res = await h.api(
      'PATCH',
      `/api/v1/pipelines/${pipeline.id}`,
      { name: 'Main', stage_ids: reversed },
      { 'if-match': etag },
    )
    expect(res.statusCode).toBe(200)
    expect(res.json().name).toBe('Main')
    expect(res.json().stages.map((s: StageView) => s.id)).toEqual(reversed)
    expect(res.json().stages.map((s: StageView) => s.position)).toEqual([0, 1, 2, 3, 4, 5])
    expect(res.headers.etag).not.toBe(etag)

    const stale = await h.api('PATCH', `/api/v1/pipelines/${pipeline.id}`, { name: 'Again' }, { 'if-match': etag })
    expect(stale.statusCode).toBe(412)
    expect(stale.json().error.code).toBe('precondition_failed')

    const partial = await h.api('PATCH', `/api/v1/pipelines/${pipeline.id}`, { stage_ids: reversed.slice(1) })
    expect(partial.statusCode).toBe(422)
    expect(partial.json().error.details[0].field).toBe('stage_ids')
  })

  test('moves a pipeline by position and keeps positions dense after a delete', async () => {
    const h = await testApp()
    const a = (await h.api('POST', '/api/v1/pipelines', { name: 'A' })).json()
    const b = (await h.api('POST', '/api/v1/pipelines', { name: 'B' })).json()
    const moved = await h.api('PATCH', `/api/v1/pipelines/${b.id}`, { position: 0 })
    expect(moved.json().position).toBe(0)
    const order = async () =>
      (await h.api('GET', '/api/v1/pipelines'))
        .json()
        .data.map((p: { name: string; position: number }) => [p.name, p.position])
    expect(await order()).toEqual([
      ['B', 0],
      ['Sales pipeline', 1],
      ['A', 2],
    ])
    const deleted = await h.api('DELETE', `/api/v1/pipelines/${b.id}`)
    expect(deleted.json()).toEqual({ id: b.id, object: 'pipeline', deleted: true })
    expect(await order()).toEqual([
      ['Sales pipeline', 0],
      ['A', 1],
    ])
    expect((await h.api('GET', `/api/v1/pipelines/${b.id}`)).statusCode).toBe(404)
    expect(a.id).toMatch(/^pl_/)
  })

  test('pages pipelines by cursor in position order', async () => {
    const h = await testApp()
    for (const name of ['P1', 'P2', 'P3']) await h.api('POST', '/api/v1/pipelines', { name })
    const first = (await h.api('GET', '/api/v1/pipelines?limit=2')).json()
    expect(first.pagination).toMatchObject({ total: 4, has_more: true })
    const second = (await h.api('GET', `/api/v1/pipelines?limit=2&cursor=${first.pagination.next_cursor}`)).json()
    expect([...first.data, ...second.data].map((p: { name: string }) => p.name)).toEqual([
      'Sales pipeline',
      'P1',
      'P2',
      'P3',
    ])
    expect(second.pagination.has_more).toBe(false)
  })

  test('a pipeline that holds deals cannot be deleted', async () => {
    const h = await testApp()
    const other = (await h.api('POST', '/api/v1/pipelines', { name: 'Other' })).json()
    expect((await h.api('POST', '/api/v1/deals', { title: 'Held', pipeline_id: other.id })).statusCode).toBe(201)
    const res = await h.api('DELETE', `/api/v1/pipelines/${other.id}`)
    expect(res.statusCode).toBe(409)
    expect(res.json().error.code).toBe('conflict')
  })
})

describe('stages', () => {
  test('adds a stage at a position, shifting the later stages', async () => {
    const h = await testApp()
    const pipeline = await defaultPipeline(h)
    const res = await h.api('POST', `/api/v1/pipelines/${pipeline.id}/stages`, { name: 'Demo', position: 2 })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({
      object: 'stage',
      name: 'Demo',
      kind: 'open',
      position: 2,
      pipeline_id: pipeline.id,
    })
    const after = (await h.api('GET', `/api/v1/pipelines/${pipeline.id}`)).json()
    expect(after.stages.map((s: StageView) => s.name)).toEqual([
      'Lead',
      'Qualified',
      'Demo',
      'Proposal',
      'Negotiation',
      'Won',
      'Lost',
    ])
    expect(after.stages.map((s: StageView) => s.position)).toEqual([0, 1, 2, 3, 4, 5, 6])
  })

  test('refuses a second won stage and a duplicate stage name with 409', async () => {
    const h = await testApp()
    const pipeline = await defaultPipeline(h)
    const won = await h.api('POST', `/api/v1/pipelines/${pipeline.id}/stages`, { name: 'Closed', kind: 'won' })
    expect(won.statusCode).toBe(409)
    expect(won.json().error.details[0].field).toBe('kind')
    const dup = await h.api('POST', `/api/v1/pipelines/${pipeline.id}/stages`, { name: 'lead' })
    expect(dup.statusCode).toBe(409)
    expect(dup.json().error.code).toBe('already_exists')
  })

  test('renames and moves a stage with If-Match, and answers 412 to a stale ETag', async () => {
    const h = await testApp()
    const pipeline = await defaultPipeline(h)
    const lead = pipeline.stages[0]
    const got = await h.api('GET', `/api/v1/stages/${lead.id}`)
    expect(got.json()).toMatchObject({ id: lead.id, name: 'Lead', position: 0 })
    const etag = got.headers.etag as string
    const res = await h.api(
      'PATCH',
      `/api/v1/stages/${lead.id}`,
      { name: 'Inbound', position: 3 },
      { 'if-match': etag },
    )
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ name: 'Inbound', position: 3 })
    const names = (await h.api('GET', `/api/v1/pipelines/${pipeline.id}`)).json().stages.map((s: StageView) => s.name)
    expect(names).toEqual(['Qualified', 'Proposal', 'Negotiation', 'Inbound', 'Won', 'Lost'])
    const stale = await h.api('PATCH', `/api/v1/stages/${lead.id}`, { name: 'Again' }, { 'if-match': etag })
    expect(stale.statusCode).toBe(412)
  })

  test('a stage that holds deals can neither be deleted nor change kind; an empty one can be deleted', async () => {
    const h = await testApp()
    const pipeline = await defaultPipeline(h)
    const [lead, qualified] = pipeline.stages
    await h.api('POST', '/api/v1/deals', { title: 'Busy', stage_id: lead.id })
    const del = await h.api('DELETE', `/api/v1/stages/${lead.id}`)
    expect(del.statusCode).toBe(409)
    expect(del.json().error.code).toBe('conflict')
    const kind = await h.api('PATCH', `/api/v1/stages/${lead.id}`, { kind: 'lost' })
    expect(kind.statusCode).toBe(409)

    const ok = await h.api('DELETE', `/api/v1/stages/${qualified.id}`)
    expect(ok.json()).toEqual({ id: qualified.id, object: 'stage', deleted: true })
    const after = (await h.api('GET', `/api/v1/pipelines/${pipeline.id}`)).json()
    expect(after.stages.map((s: StageView) => [s.name, s.position])).toEqual([
      ['Lead', 0],
      ['Proposal', 1],
      ['Negotiation', 2],
      ['Won', 3],
      ['Lost', 4],
    ])
  })

  test('the last open stage of a pipeline can neither be deleted nor turned into a closing stage', async () => {
    const h = await testApp()
    const created = (
      await h.api('POST', '/api/v1/pipelines', {
        name: 'Tiny',
        stages: [{ name: 'Only' }, { name: 'Done', kind: 'won' }],
      })
    ).json()
    const only = created.stages[0]
    expect((await h.api('DELETE', `/api/v1/stages/${only.id}`)).statusCode).toBe(409)
    expect((await h.api('PATCH', `/api/v1/stages/${only.id}`, { kind: 'lost' })).statusCode).toBe(409)
    expect((await h.api('PATCH', `/api/v1/stages/${created.stages[1].id}`, { kind: 'open' })).statusCode).toBe(200)
  })

  test('needs the admin scope to change pipelines and only read to list them', async () => {
    const h = await testApp()
    const key = await h.newKey(h.org.id, { scopes: ['read', 'write'] })
    const auth = { authorization: `Bearer ${key}` }
    expect((await h.api('GET', '/api/v1/pipelines', undefined, auth)).statusCode).toBe(200)
    const res = await h.api('POST', '/api/v1/pipelines', { name: 'Nope' }, auth)
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('insufficient_scope')
  })
})
