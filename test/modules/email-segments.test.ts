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

  test('a filter previewed before saving gives the counts the saved segment would have, and saves nothing', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const tag = `promo-${Math.random().toString(36).slice(2, 8)}`
    const mk = (body: object) => h.api('POST', '/api/v1/contacts', body)
    const a = (await mk({ name: 'P1', email: `p1.${tag}@example.com`, tags: [tag] })).json()
    await mk({ name: 'P2', email: `p2.${tag}@example.com`, tags: [tag] })
    await mk({ name: 'P3 no email', phone: '+15550000009', tags: [tag] })
    await h.api('PUT', `/api/v1/contacts/${a.id}/email-subscription`, { status: 'unsubscribed' })
    const filter = { field: 'tags', op: 'contains', value: tag }
    const segmentsBefore = (await h.api('GET', '/api/v1/email-segments?limit=100')).json().pagination.total

    const preview = await h.api('POST', '/api/v1/email-segments/preview', { filter })
    expect(preview.statusCode).toBe(200)
    expect(preview.json()).toEqual({ object: 'email_segment_preview', contact_count: 3, member_count: 1 })
    expect((await h.api('GET', '/api/v1/email-segments?limit=100')).json().pagination.total).toBe(segmentsBefore)
    const saved = (await h.api('POST', '/api/v1/email-segments', { name: 'Promo', filter })).json()
    expect(saved).toMatchObject({ contact_count: 3, member_count: 1 })

    // Another organization's contacts are not counted.
    const elsewhere = await h.api(
      'POST',
      '/api/v1/email-segments/preview',
      { filter },
      {
        authorization: `Bearer ${other.key}`,
      },
    )
    expect(elsewhere.json()).toMatchObject({ contact_count: 0, member_count: 0 })

    const bad = await h.api('POST', '/api/v1/email-segments/preview', {
      filter: { or: [{ field: 'tags', op: 'lt', value: 'x' }] },
    })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error.details[0].field).toBe('filter.or[0].op')
  })
})
