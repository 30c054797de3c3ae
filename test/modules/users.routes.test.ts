import { describe, expect, test } from 'vitest'
import { testApp } from '../harness.js'

/** Usernames are unique across the installation, and under PostgreSQL every test file shares one database. */
const unique = (base: string) => `${base}-${Math.random().toString(36).slice(2, 10)}`
const person = () => ({
  name: 'Jane Doe',
  email: 'jane@acme.example',
  username: unique('jane'),
  timezone: 'Europe/Paris',
  role: 'owner',
})

describe('users', () => {
  test('creates a user with defaults, gets and lists it', async () => {
    const h = await testApp()
    const res = await h.api('POST', '/api/v1/users', {
      name: 'Sam',
      email: 'sam@acme.example',
      username: unique('sam'),
    })
    expect(res.statusCode).toBe(201)
    const user = res.json()
    expect(user).toMatchObject({ object: 'user', name: 'Sam', timezone: 'UTC', role: 'member' })
    expect(user.id).toMatch(/^user_[0-9a-z]{26}$/)
    expect((await h.api('GET', `/api/v1/users/${user.id}`)).json()).toEqual(user)
    const list = (await h.api('GET', '/api/v1/users?q=sam')).json()
    expect(list.data.map((u: { id: string }) => u.id)).toEqual([user.id])
    expect(list.pagination.total).toBe(1)
  })

  test('rejects an unknown time zone, a bad username and unknown fields with 422 naming the field', async () => {
    const h = await testApp()
    const jane = person()
    const tz = await h.api('POST', '/api/v1/users', { ...jane, timezone: 'Mars/Olympus' })
    expect(tz.statusCode).toBe(422)
    expect(tz.json().error.details).toEqual([{ field: 'timezone', message: expect.any(String) }])
    const name = await h.api('POST', '/api/v1/users', { ...jane, username: 'Jane Doe' })
    expect(name.statusCode).toBe(422)
    expect(name.json().error.details[0].field).toBe('username')
    expect((await h.api('POST', '/api/v1/users', { ...jane, password: 'x' })).statusCode).toBe(422)
  })

  test('a username is unique across organizations and an email within one (409)', async () => {
    const h = await testApp()
    const jane = person()
    const other = await h.newOrg()
    expect((await h.api('POST', '/api/v1/users', jane)).statusCode).toBe(201)
    const taken = await h.api(
      'POST',
      '/api/v1/users',
      { ...jane, email: 'x@other.example' },
      {
        authorization: `Bearer ${other.key}`,
      },
    )
    expect(taken.statusCode).toBe(409)
    expect(taken.json().error.details[0].field).toBe('username')
    const sameEmail = await h.api('POST', '/api/v1/users', {
      ...jane,
      username: unique('jane2'),
      email: 'JANE@acme.example',
    })
    expect(sameEmail.statusCode).toBe(409)
    expect(sameEmail.json().error.details[0].field).toBe('email')
    const elsewhere = await h.api(
      'POST',
      '/api/v1/users',
      { ...jane, username: unique('jane3') },
      {
        authorization: `Bearer ${other.key}`,
      },
    )
    expect(elsewhere.statusCode).toBe(201)
  })

  test('another organization sees a 404; test mode reads the same users but cannot change them', async () => {
    const h = await testApp()
    const jane = person()
    const id = (await h.api('POST', '/api/v1/users', jane)).json().id
    const other = await h.newOrg()
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      const res = await h.api(method, `/api/v1/users/${id}`, method === 'PATCH' ? { name: 'X' } : undefined, {
        authorization: `Bearer ${other.key}`,
      })
      expect(res.statusCode).toBe(404)
    }
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    const auth = { authorization: `Bearer ${testKey}` }
    expect((await h.api('GET', `/api/v1/users/${id}`, undefined, auth)).statusCode).toBe(200)
    const write = await h.api('PATCH', `/api/v1/users/${id}`, { name: 'Test' }, auth)
    expect(write.statusCode).toBe(403)
    expect((await h.api('GET', `/api/v1/users/${id}`)).json().name).toBe('Jane Doe')
  })

  test('the last owner can be neither demoted nor removed; with a second owner both work', async () => {
    const h = await testApp()
    const jane = person()
    const owner = (await h.api('POST', '/api/v1/users', jane)).json().id
    const demote = await h.api('PATCH', `/api/v1/users/${owner}`, { role: 'admin' })
    expect(demote.statusCode).toBe(409)
    expect((await h.api('DELETE', `/api/v1/users/${owner}`)).statusCode).toBe(409)
    await h.api('POST', '/api/v1/users', {
      name: 'Ann',
      email: 'ann@acme.example',
      username: unique('ann'),
      role: 'owner',
    })
    expect((await h.api('PATCH', `/api/v1/users/${owner}`, { role: 'admin' })).statusCode).toBe(200)
    expect((await h.api('DELETE', `/api/v1/users/${owner}`)).statusCode).toBe(200)
    expect((await h.api('GET', `/api/v1/users/${owner}`)).statusCode).toBe(404)
  })

  test('PATCH honours If-Match: a stale ETag is a 412', async () => {
    const h = await testApp()
    const jane = person()
    const id = (await h.api('POST', '/api/v1/users', jane)).json().id
    const etag = (await h.api('GET', `/api/v1/users/${id}`)).headers.etag as string
    expect((await h.api('PATCH', `/api/v1/users/${id}`, { name: 'Jane D.' }, { 'if-match': etag })).statusCode).toBe(
      200,
    )
    expect((await h.api('PATCH', `/api/v1/users/${id}`, { name: 'Jane X' }, { 'if-match': etag })).statusCode).toBe(412)
  })
})
