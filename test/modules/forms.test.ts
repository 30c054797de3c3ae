import { describe, expect, test } from 'vitest'
import { testApp } from '../harness.js'
import { newForm, newTeam } from '../route-tables/leads.js'

const fields = [
  { key: 'name', label: 'Your name', type: 'text', required: true },
  { key: 'topic', label: 'Topic', type: 'select', options: ['Sales', 'Support'] },
  { key: 'consent', label: 'I agree to be contacted.', type: 'consent', required: true },
]

describe('forms', () => {
  test('creates a form with ordered fields and reads it back with an ETag', async () => {
    const h = await testApp()
    const teamId = await newTeam(h)
    const res = await h.api('POST', '/api/v1/forms', {
      name: 'Contact us',
      fields,
      success_message: 'Thanks!',
      team_ids: [teamId],
      callback_enabled: true,
    })
    expect(res.statusCode).toBe(201)
    const form = res.json()
    expect(form.id).toMatch(/^form_/)
    expect(form).toMatchObject({ name: 'Contact us', team_ids: [teamId], callback_enabled: true, redirect_url: null })
    expect(form.fields.map((f: { key: string }) => f.key)).toEqual(['name', 'topic', 'consent'])
    expect(form.fields[0]).toEqual({ key: 'name', label: 'Your name', type: 'text', required: true, options: null })
    const got = await h.api('GET', `/api/v1/forms/${form.id}`)
    expect(got.json()).toEqual(form)
    expect(got.headers.etag).toMatch(/^"/)
  })

  test('refuses duplicate keys, a select without options, options on other types and unknown fields', async () => {
    const h = await testApp()
    const dup = await h.api('POST', '/api/v1/forms', {
      name: 'F',
      fields: [
        { key: 'email', label: 'A', type: 'email' },
        { key: 'Email', label: 'B', type: 'text', options: ['x'] },
        { key: 'pick', label: 'C', type: 'select' },
      ],
    })
    expect(dup.statusCode).toBe(422)
    expect(dup.json().error.details.map((d: { field: string }) => d.field)).toEqual([
      'fields.1.key',
      'fields.1.options',
      'fields.2.options',
    ])
    const unknown = await h.api('POST', '/api/v1/forms', { name: 'F', colour: 'red' })
    expect(unknown.json().error.details[0].field).toBe('colour')
  })

  test('PATCH honours If-Match (412 on a stale ETag)', async () => {
    const h = await testApp()
    const id = await newForm(h)
    const etag = (await h.api('GET', `/api/v1/forms/${id}`)).headers.etag as string
    const ok = await h.api('PATCH', `/api/v1/forms/${id}`, { name: 'Renamed' }, { 'if-match': etag })
    expect(ok.statusCode).toBe(200)
    const stale = await h.api('PATCH', `/api/v1/forms/${id}`, { name: 'Again' }, { 'if-match': etag })
    expect(stale.statusCode).toBe(412)
    expect((await h.api('GET', `/api/v1/forms/${id}`)).json().name).toBe('Renamed')
  })

  test('PUT name renames; GET/PUT teams read and replace the teams', async () => {
    const h = await testApp()
    const id = await newForm(h)
    const [a, b] = [await newTeam(h), await newTeam(h)]
    expect((await h.api('PUT', `/api/v1/forms/${id}/name`, { name: 'Sales form' })).json().name).toBe('Sales form')
    expect((await h.api('PUT', `/api/v1/forms/${id}/teams`, { teams: [a, b] })).json()).toEqual({ teams: [a, b] })
    expect((await h.api('GET', `/api/v1/forms/${id}/teams`)).json()).toEqual({ teams: [a, b] })
  })

  test('an unknown team, or one of another organization, is a 422 naming it', async () => {
    const h = await testApp()
    const id = await newForm(h)
    const other = await h.newOrg()
    const theirs = await newTeam(h, other.key)
    const mine = await newTeam(h)
    const res = await h.api('PUT', `/api/v1/forms/${id}/teams`, { teams: [mine, theirs] })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details).toMatchObject([{ field: 'teams.1' }])
    expect((await h.api('GET', `/api/v1/forms/${id}/teams`)).json()).toEqual({ teams: [] })
  })

  test('two concurrent edits of one form both land (the row is locked)', async () => {
    const h = await testApp()
    const id = await newForm(h)
    const teamId = await newTeam(h)
    const [renamed, teamed] = await Promise.all([
      h.api('PUT', `/api/v1/forms/${id}/name`, { name: 'Concurrent' }),
      h.api('PUT', `/api/v1/forms/${id}/teams`, { teams: [teamId] }),
    ])
    expect([renamed.statusCode, teamed.statusCode]).toEqual([200, 200])
    expect((await h.api('GET', `/api/v1/forms/${id}`)).json()).toMatchObject({ name: 'Concurrent', team_ids: [teamId] })
    const etag = (await h.api('GET', `/api/v1/forms/${id}`)).headers.etag as string
    const racing = await Promise.all(
      ['One', 'Two'].map((name) => h.api('PATCH', `/api/v1/forms/${id}`, { name }, { 'if-match': etag })),
    )
    expect(racing.map((r) => r.statusCode).sort()).toEqual([200, 412])
  })

  test('the list pages by offset with a limit up to 1,000, and filters by team', async () => {
    const h = await testApp()
    const teamId = await newTeam(h)
    for (const name of ['A', 'B', 'C'])
      await newForm(h, h.org.key, { name, ...(name === 'B' ? { team_ids: [teamId] } : {}) })
    const page = (await h.api('GET', '/api/v1/forms?offset=1&limit=1000')).json()
    expect(page.data.map((f: { name: string }) => f.name)).toEqual(['B', 'A'])
    expect(page.pagination).toMatchObject({ total: 3, limit: 1000, has_more: false, page: null })
    expect((await h.api('GET', '/api/v1/forms?limit=1001')).statusCode).toBe(400)
    expect(
      (await h.api('GET', `/api/v1/forms?team_id=${teamId}`)).json().data.map((f: { name: string }) => f.name),
    ).toEqual(['B'])
  })

  test('deleting a form keeps its responses, with form_id null', async () => {
    const h = await testApp()
    const id = await newForm(h)
    const fr = (
      await h.api('POST', '/api/v1/form_responses', {
        form_response: { form_id: id, form_data: { email: `d${Math.random()}@example.com` } },
      })
    ).json().id
    expect((await h.api('DELETE', `/api/v1/forms/${id}`)).json()).toEqual({ id, object: 'form', deleted: true })
    expect((await h.api('GET', `/api/v1/forms/${id}`)).statusCode).toBe(404)
    expect((await h.api('GET', `/api/v1/form_responses/${fr}`)).json().form_id).toBeNull()
  })
})
