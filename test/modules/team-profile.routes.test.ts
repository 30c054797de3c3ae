import { describe, expect, test } from 'vitest'
import { testApp } from '../harness.js'
import { asUser, memberOf, ownerOf, PASSWORD } from './accounts-fixtures.js'

/** The Team screen's API: own name and password, the organization's name, removing a member with a successor. */

const signUp = () => testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })

describe('PATCH /api/v1/me', () => {
  test('a member renames themself; the session shows the new name', async () => {
    const h = await signUp()
    const owner = await ownerOf(h)
    const member = await memberOf(h, owner)
    const res = await asUser(h.app, member).send('PATCH', '/api/v1/me', { name: 'Mo Renamed' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ object: 'profile', name: 'Mo Renamed', role: 'member', password_changed: false })
    expect((await asUser(h.app, member).get('/api/v1/session')).json().user.name).toBe('Mo Renamed')
  })

  test('a new password needs the present one, then signs the other sessions out and works for sign-in', async () => {
    const h = await signUp()
    const owner = await ownerOf(h)
    const wrong = await asUser(h.app, owner).send('PATCH', '/api/v1/me', {
      current_password: 'not the password',
      password: 'a much longer passphrase',
    })
    expect(wrong.statusCode).toBe(422)
    expect(wrong.json().error.details[0].field).toBe('current_password')
    const other = await h.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: owner.email, password: PASSWORD },
    })
    const otherCookie = other.cookies.find((c) => c.name === 'rapport_session')!.value
    const ok = await asUser(h.app, owner).send('PATCH', '/api/v1/me', {
      current_password: PASSWORD,
      password: 'a much longer passphrase',
    })
    expect(ok.statusCode).toBe(200)
    expect(ok.json().password_changed).toBe(true)
    expect((await asUser(h.app, owner).get('/api/v1/session')).statusCode).toBe(200)
    const stale = await h.app.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: { cookie: `rapport_session=${otherCookie}` },
    })
    expect(stale.statusCode).toBe(401)
    const signIn = await h.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: owner.email, password: 'a much longer passphrase' },
    })
    expect(signIn.statusCode).toBe(200)
  })

  test('an API key has no profile (403)', async () => {
    const h = await testApp()
    const res = await h.api('PATCH', '/api/v1/me', { name: 'Key' })
    expect(res.statusCode).toBe(403)
  })
})

describe('PATCH /api/v1/organization', () => {
  test('an owner renames the organization; a member may not (403)', async () => {
    const h = await signUp()
    const owner = await ownerOf(h)
    const member = await memberOf(h, owner)
    const res = await asUser(h.app, owner).send('PATCH', '/api/v1/organization', { name: 'Renamed Co' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ id: owner.body.organization.id, object: 'organization', name: 'Renamed Co' })
    expect((await asUser(h.app, member).get('/api/v1/session')).json().organization.name).toBe('Renamed Co')
    expect((await asUser(h.app, member).send('PATCH', '/api/v1/organization', { name: 'Mine' })).statusCode).toBe(403)
  })
})

describe('DELETE /api/v1/users/:id?reassign_to=', () => {
  test('the removed member’s deals and tasks go to the successor, with deal.updated and task.updated', async () => {
    const h = await signUp()
    const owner = await ownerOf(h)
    const member = await memberOf(h, owner)
    const memberId = member.body.user.id
    const as = asUser(h.app, member)
    const deal = (await as.send('POST', '/api/v1/deals', { title: 'Theirs', owner_id: memberId })).json()
    const task = (await as.send('POST', '/api/v1/tasks', { title: 'Their call', assignee_id: memberId })).json()
    const bad = await asUser(h.app, owner).send('DELETE', `/api/v1/users/${memberId}?reassign_to=${memberId}`)
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error.details[0].field).toBe('reassign_to')
    const ownerId = owner.body.user.id
    const res = await asUser(h.app, owner).send('DELETE', `/api/v1/users/${memberId}?reassign_to=${ownerId}`)
    expect(res.statusCode).toBe(200)
    expect((await asUser(h.app, owner).get(`/api/v1/deals/${deal.id}`)).json().owner_id).toBe(ownerId)
    expect((await asUser(h.app, owner).get(`/api/v1/tasks/${task.id}`)).json().assignee_id).toBe(ownerId)
    const events = (await asUser(h.app, owner).get('/api/v1/events?limit=10')).json().data
    expect(events.slice(0, 2).map((e: { event: string; data: unknown }) => [e.event, e.data])).toEqual([
      ['task.updated', { id: task.id, changes: { assignee_id: ownerId } }],
      ['deal.updated', { id: deal.id, changes: { owner_id: ownerId } }],
    ])
  })

  test('without reassign_to the deals stay, with no owner', async () => {
    const h = await signUp()
    const owner = await ownerOf(h)
    const member = await memberOf(h, owner)
    const memberId = member.body.user.id
    const deal = (
      await asUser(h.app, member).send('POST', '/api/v1/deals', { title: 'Theirs', owner_id: memberId })
    ).json()
    expect((await asUser(h.app, owner).send('DELETE', `/api/v1/users/${memberId}`)).statusCode).toBe(200)
    expect((await asUser(h.app, owner).get(`/api/v1/deals/${deal.id}`)).json().owner_id).toBeNull()
  })
})
