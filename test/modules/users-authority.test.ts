import { describe, expect, test } from 'vitest'
import { testApp } from '../harness.js'
import { asUser, memberOf, ownerOf, unique } from './accounts-fixtures.js'

/*
 * Nobody makes anyone more than they are: a role given, and the role of a user changed or removed,
 * stays within the authority of who acts (a session's user, or the user who created the key).
 */

describe('role changes stay within the caller’s authority', () => {
  test('a key whose creator is now a member can no longer give roles, change users or remove them', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const admin = await memberOf(h, owner, 'admin')
    const member = await memberOf(h, owner)
    const made = await asUser(h.app, admin).send('POST', '/api/v1/api_keys', { name: 'ops', scopes: ['admin'] })
    expect(made.statusCode, made.body).toBe(201)
    const key = made.json().key as string
    const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, body?: object) =>
      h.app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(body ? { payload: body } : {}) })
    // While its creator is an admin, the key manages admins and members.
    expect((await send('PATCH', `/api/v1/users/${member.body.user.id}`, { name: 'Renamed' })).statusCode).toBe(200)

    const demoted = await asUser(h.app, owner).send('PATCH', `/api/v1/users/${admin.body.user.id}`, { role: 'member' })
    expect(demoted.statusCode).toBe(200)
    const refused = [
      await send('PATCH', `/api/v1/users/${member.body.user.id}`, { role: 'admin' }),
      await send('PATCH', `/api/v1/users/${admin.body.user.id}`, { role: 'admin' }),
      await send('POST', '/api/v1/users', {
        name: 'New',
        email: `n.${unique()}@acme.example`,
        username: `n-${unique()}`,
        role: 'admin',
      }),
      await send('DELETE', `/api/v1/users/${member.body.user.id}`),
    ]
    for (const res of refused) {
      expect(res.statusCode, res.body).toBe(403)
      expect(res.json().error.message).toContain('the user who created this API key is a member')
    }
    const users = (await asUser(h.app, owner).get('/api/v1/users')).json().data
    expect(users.find((u: { id: string }) => u.id === admin.body.user.id).role).toBe('member')
    expect(users.find((u: { id: string }) => u.id === member.body.user.id).role).toBe('member')
  })

  test('an admin manages admins and members, themself included, but never makes an owner', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const admin = asUser(h.app, await memberOf(h, owner, 'admin'))
    const other = await memberOf(h, owner, 'admin')
    expect((await admin.send('PATCH', `/api/v1/users/${other.body.user.id}`, { role: 'member' })).statusCode).toBe(200)
    expect((await admin.send('PATCH', `/api/v1/users/${other.body.user.id}`, { role: 'admin' })).statusCode).toBe(200)
    expect((await admin.send('PATCH', `/api/v1/users/${other.body.user.id}`, { role: 'owner' })).statusCode).toBe(403)
  })
})
