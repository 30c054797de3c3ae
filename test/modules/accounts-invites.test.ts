import { describe, expect, test } from 'vitest'
import { ADMIN_TOKEN, type TestApp, testApp } from '../harness.js'
import {
  acceptInvite,
  asUser,
  invite,
  memberOf,
  ownerOf,
  PASSWORD,
  type Signed,
  signedIn,
  tokenOf,
  unique,
} from './accounts-fixtures.js'

/*
 * Invites never grant more than their creator holds, and only the person invited can use one.
 */

const withKey =
  (h: TestApp, key: string) => (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: object) =>
    h.app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(body ? { payload: body } : {}) })

async function keyOf(h: TestApp, by: Signed): Promise<string> {
  const res = await asUser(h.app, by).send('POST', '/api/v1/api_keys', { name: 'automation', scopes: ['admin'] })
  expect(res.statusCode, res.body).toBe(201)
  return res.json().key
}

/** A user of the organization who has never signed in (a booking host, a deal owner), made by an owner. */
async function listedUser(h: TestApp, owner: Signed, role: 'owner' | 'admin' | 'member') {
  const email = `listed.${unique()}@acme.example`
  const res = await asUser(h.app, owner).send('POST', '/api/v1/users', {
    name: 'Listed',
    email,
    username: `listed-${unique()}`,
    role,
  })
  expect(res.statusCode, res.body).toBe(201)
  return { email, id: res.json().id as string }
}

describe('an invite never grants more than its creator holds', () => {
  test('an admin cannot make themself an owner by inviting a never-signed-in owner and accepting the invite', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const admin = await memberOf(h, owner, 'admin')
    const host = await listedUser(h, owner, 'owner')
    for (const role of ['member', 'admin', 'owner']) {
      const res = await asUser(h.app, admin).send('POST', '/api/v1/invites', { email: host.email, role })
      expect(res.statusCode, res.body).toBe(403)
      expect(res.json().error.code).toBe('insufficient_scope')
      expect(res.json()).not.toHaveProperty('accept_url')
    }
    const users = (await asUser(h.app, owner).get('/api/v1/users?role=owner')).json().data
    expect(users.map((u: { id: string }) => u.id).sort()).toEqual([owner.body.user.id, host.id].sort())
    expect((await asUser(h.app, owner).get('/api/v1/session')).json().user.role).toBe('owner')
  })

  test('only an owner invites an owner; the invitee becomes one', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const admin = await memberOf(h, owner, 'admin')
    const refused = await asUser(h.app, admin).send('POST', '/api/v1/invites', {
      email: `o.${unique()}@acme.example`,
      role: 'owner',
    })
    expect(refused.statusCode).toBe(403)
    expect(refused.json().error.message).toBe('Only an owner can make, change or remove an owner')
    const second = await memberOf(h, owner, 'owner')
    expect(second.body.user.role).toBe('owner')
    // An owner may also invite a listed owner, as an owner only.
    const host = await listedUser(h, owner, 'owner')
    const asAdmin = await asUser(h.app, owner).send('POST', '/api/v1/invites', { email: host.email, role: 'admin' })
    expect(asAdmin.statusCode).toBe(422)
    expect(asAdmin.json().error.details[0].field).toBe('role')
    const asOwner = await invite(h, owner, 'owner', host.email)
    const accepted = signedIn(await acceptInvite(h, asOwner.token))
    expect(accepted.body.user).toMatchObject({ id: host.id, role: 'owner' })
  })

  test('an admin may invite (and so activate) listed admins and members, with the invited role', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const admin = await memberOf(h, owner, 'admin')
    const listedAdmin = await listedUser(h, owner, 'admin')
    const inv = await invite(h, admin, 'member', listedAdmin.email)
    const accepted = signedIn(await acceptInvite(h, inv.token))
    expect(accepted.body.user).toMatchObject({ id: listedAdmin.id, role: 'member' })
  })

  test('an invite is checked again when accepted: a creator demoted since cannot give what they no longer hold', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const other = await memberOf(h, owner, 'owner')
    const pending = await invite(h, other, 'owner')
    const demoted = await asUser(h.app, owner).send('PATCH', `/api/v1/users/${other.body.user.id}`, { role: 'admin' })
    expect(demoted.statusCode, demoted.body).toBe(200)
    const res = await acceptInvite(h, pending.token)
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('insufficient_scope')
    expect(res.cookies.find((c) => c.name === 'rapport_session')).toBeUndefined()
    // The link is not spent: once its creator is an owner again, it works.
    await asUser(h.app, owner).send('PATCH', `/api/v1/users/${other.body.user.id}`, { role: 'owner' })
    expect(signedIn(await acceptInvite(h, pending.token)).body.user.role).toBe('owner')
  })

  test('an invite made with an API key carries the key creator’s authority; an operator’s key acts for the organization', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const admin = await memberOf(h, owner, 'admin')
    const adminKey = withKey(h, await keyOf(h, admin))
    const byAdminKey = await adminKey('POST', '/api/v1/invites', { email: `o.${unique()}@acme.example`, role: 'owner' })
    expect(byAdminKey.statusCode).toBe(403)
    expect(byAdminKey.json().error.message).toContain('the user who created this API key is an admin')
    expect(
      (await adminKey('POST', '/api/v1/invites', { email: `a.${unique()}@acme.example`, role: 'admin' })).statusCode,
    ).toBe(201)

    const ownerKey = withKey(h, await keyOf(h, owner))
    const made = await ownerKey('POST', '/api/v1/invites', { email: `o.${unique()}@acme.example`, role: 'owner' })
    expect(made.statusCode, made.body).toBe(201)
    // *_by names the person: the user who created the key.
    expect(made.json().invited_by).toBe(owner.body.user.id)

    const provisioned = await h.app.inject({
      method: 'POST',
      url: `/admin/v1/orgs/${owner.body.organization.id}/api_keys`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { name: 'operator', mode: 'live' },
    })
    expect(provisioned.statusCode, provisioned.body).toBe(201)
    const operatorKey = withKey(h, provisioned.json().key)
    const byOperator = await operatorKey('POST', '/api/v1/invites', {
      email: `p.${unique()}@acme.example`,
      role: 'owner',
    })
    expect(byOperator.statusCode, byOperator.body).toBe(201)
    expect(byOperator.json().invited_by).toBeNull()
    expect(signedIn(await acceptInvite(h, tokenOf(byOperator.json().accept_url))).body.user.role).toBe('owner')

    // A key whose creator is now a member gives no role at all.
    await asUser(h.app, owner).send('PATCH', `/api/v1/users/${admin.body.user.id}`, { role: 'member' })
    const afterDemotion = await adminKey('POST', '/api/v1/invites', {
      email: `m.${unique()}@acme.example`,
      role: 'member',
    })
    expect(afterDemotion.statusCode).toBe(403)
    expect(afterDemotion.json().error.message).toContain('the user who created this API key is a member')
  })

  test('an admin cannot revoke an invite to the owner role; an owner can', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const admin = await memberOf(h, owner, 'admin')
    const ownerInvite = await invite(h, owner, 'owner')
    const memberInvite = await invite(h, owner, 'member')
    expect((await asUser(h.app, admin).send('DELETE', `/api/v1/invites/${ownerInvite.id}`)).statusCode).toBe(403)
    expect((await asUser(h.app, admin).send('DELETE', `/api/v1/invites/${memberInvite.id}`)).statusCode).toBe(204)
    expect((await asUser(h.app, owner).send('DELETE', `/api/v1/invites/${ownerInvite.id}`)).statusCode).toBe(204)
  })
})

describe('only the person invited can accept an invite', () => {
  test('the answer to the creation carries the link to send, not a separate token', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const res = await asUser(h.app, owner).send('POST', '/api/v1/invites', {
      email: `m.${unique()}@acme.example`,
      role: 'member',
    })
    expect(res.statusCode).toBe(201)
    expect(res.json()).not.toHaveProperty('token')
    expect(res.json().accept_url).toMatch(/\/app\/invite#token=[0-9A-Za-z]{20,}$/)
  })

  test('the inviter cannot accept their own invite with their session, nor with another session of theirs', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const admin = await memberOf(h, owner, 'admin')
    const inv = await invite(h, admin, 'admin')
    const again = signedIn(
      await h.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { email: admin.email, password: PASSWORD },
      }),
    )
    for (const session of [admin, again, owner]) {
      const res = await acceptInvite(h, inv.token, { cookie: session.cookie })
      expect(res.statusCode, res.body).toBe(403)
      expect(res.json().error.code).toBe('insufficient_scope')
    }
    // The invitee, in a browser of their own, accepts it.
    const accepted = await acceptInvite(h, inv.token)
    expect(accepted.statusCode).toBe(201)
    expect(accepted.json().user.email).toBe(inv.email)
  })

  test('someone signed in to another organization may accept an invite to this one', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const elsewhere = await ownerOf(h)
    const inv = await invite(h, owner, 'member')
    expect((await acceptInvite(h, inv.token, { cookie: elsewhere.cookie })).statusCode).toBe(201)
  })
})

describe('the invite list', () => {
  test('an accepted invite leaves the pending list (the default), and each state has its filter', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const accepted = await invite(h, owner, 'member')
    const pending = await invite(h, owner, 'admin')
    expect((await acceptInvite(h, accepted.token)).statusCode).toBe(201)
    const ids = async (query: string) =>
      (await asUser(h.app, owner).get(`/api/v1/invites${query}`)).json().data.map((i: { id: string }) => i.id)
    expect(await ids('')).toEqual([pending.id])
    expect(await ids('?status=pending')).toEqual([pending.id])
    expect(await ids('?status=accepted')).toEqual([accepted.id])
    expect(await ids('?status=all')).toEqual([pending.id, accepted.id])
    expect((await asUser(h.app, owner).get('/api/v1/invites?status=bogus')).statusCode).toBe(400)
  })
})
