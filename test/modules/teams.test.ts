import { describe, expect, test } from 'vitest'
import { testApp } from '../harness.js'
import { newForm, newTeam } from '../route-tables/leads.js'

describe('teams', () => {
  test('creates, reads with an ETag, updates with If-Match, lists and deletes', async () => {
    const h = await testApp()
    const created = await h.api('POST', '/api/v1/teams', { name: 'Sales', description: 'Inbound' })
    expect(created.statusCode).toBe(201)
    const id = created.json().id
    expect(id).toMatch(/^team_/)
    const got = await h.api('GET', `/api/v1/teams/${id}`)
    expect(got.json()).toMatchObject({ object: 'team', name: 'Sales', description: 'Inbound' })
    const etag = got.headers.etag as string
    expect(
      (await h.api('PATCH', `/api/v1/teams/${id}`, { name: 'Inside sales' }, { 'if-match': etag })).statusCode,
    ).toBe(200)
    expect((await h.api('PATCH', `/api/v1/teams/${id}`, { name: 'X' }, { 'if-match': etag })).statusCode).toBe(412)
    expect((await h.api('GET', '/api/v1/teams?name=inside')).json().data.map((t: { id: string }) => t.id)).toEqual([id])
    expect((await h.api('DELETE', `/api/v1/teams/${id}`)).json()).toEqual({ id, object: 'team', deleted: true })
    expect((await h.api('GET', `/api/v1/teams/${id}`)).statusCode).toBe(404)
  })

  test('names are unique per organization and mode, case-insensitively (409)', async () => {
    const h = await testApp()
    await newTeam(h, h.org.key, 'Support')
    const dup = await h.api('POST', '/api/v1/teams', { name: 'SUPPORT' })
    expect(dup.statusCode).toBe(409)
    expect(dup.json().error.details).toMatchObject([{ field: 'name' }])
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    expect(
      (await h.api('POST', '/api/v1/teams', { name: 'Support' }, { authorization: `Bearer ${testKey}` })).statusCode,
    ).toBe(201)
  })

  test('deleting a team removes it from its forms', async () => {
    const h = await testApp()
    const [a, b] = [await newTeam(h), await newTeam(h)]
    const formId = await newForm(h, h.org.key, { team_ids: [a, b] })
    await h.api('DELETE', `/api/v1/teams/${a}`)
    expect((await h.api('GET', `/api/v1/forms/${formId}/teams`)).json()).toEqual({ teams: [b] })
  })
})
