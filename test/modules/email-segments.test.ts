import { describe, expect, test } from 'vitest'
import { testApp } from '../harness.js'

describe('email segments', () => {
  test('a saved filter counts the contacts it matches now and those a campaign would reach', async () => {
    const h = await testApp()
    const mk = (body: object) => h.api('POST', '/api/v1/contacts', body)
    const vip = (await mk({ name: 'V1', email: 'v1@example.com', tags: ['vip'] })).json()
    await mk({ name: 'V2', email: 'v2@example.com', tags: ['vip'] })
    await mk({ name: 'V3 no email', phone: '+15550000001', tags: ['vip'] })
    await mk({ name: 'Other', email: 'o@example.com' })
    const created = await h.api('POST', '/api/v1/email-segments', {
      name: 'VIPs',
      filter: { field: 'tags', op: 'contains', value: 'vip' },
    })
    expect(created.statusCode).toBe(201)
    const seg = created.json()
    expect(seg).toMatchObject({ object: 'email_segment', name: 'VIPs', contact_count: 3, member_count: 2 })
    expect(seg.id).toMatch(/^seg_/)

    await h.api('PUT', `/api/v1/contacts/${vip.id}/email-subscription`, { status: 'unsubscribed' })
    expect((await h.api('GET', `/api/v1/email-segments/${seg.id}`)).json()).toMatchObject({
      contact_count: 3,
      member_count: 1,
    })
    // Evaluated on read: a contact tagged later is in it.
    await mk({ name: 'V4', email: 'v4@example.com', tags: ['vip'] })
    expect((await h.api('GET', '/api/v1/email-segments')).json().data[0]).toMatchObject({
      contact_count: 4,
      member_count: 2,
    })
    const changed = await h.api('PATCH', `/api/v1/email-segments/${seg.id}`, {
      filter: { field: 'email', op: 'eq', value: 'o@example.com' },
    })
    expect(changed.json()).toMatchObject({ contact_count: 1, member_count: 1 })
    expect((await h.api('DELETE', `/api/v1/email-segments/${seg.id}`)).json()).toMatchObject({ deleted: true })
    expect((await h.api('GET', `/api/v1/email-segments/${seg.id}`)).statusCode).toBe(404)
  })

  test('an invalid filter is a 422 naming the failing part; another organization sees a 404', async () => {
    const h = await testApp()
    const bad = await h.api('POST', '/api/v1/email-segments', {
      name: 'Bad',
      filter: {
        and: [
          { field: 'email', op: 'eq', value: 'a@b.co' },
          { field: 'nope', op: 'eq', value: 1 },
        ],
      },
    })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error.details[0].field).toBe('filter.and[1].field')
    const seg = (
      await h.api('POST', '/api/v1/email-segments', {
        name: 'Ok',
        filter: { field: 'status', op: 'eq', value: 'lead' },
      })
    ).json()
    const other = await h.newOrg()
    const res = await h.api('GET', `/api/v1/email-segments/${seg.id}`, undefined, {
      authorization: `Bearer ${other.key}`,
    })
    expect(res.statusCode).toBe(404)
  })
})
