import { describe, expect, test } from 'vitest'
import { testApp } from '../harness.js'
import { submission } from '../route-tables/leads.js'

describe('notifications', () => {
  test('lists newest first, filters unread, and marking one read keeps its first read_at', async () => {
    const h = await testApp()
    await h.api('POST', '/api/v1/form_responses', submission({ name: 'First' }))
    await h.api('POST', '/api/v1/form_responses', submission({ name: 'Second' }))
    const list = (await h.api('GET', '/api/v1/notifications')).json()
    expect(list.data.map((n: { title: string }) => n.title)).toEqual([
      'New form response from Second',
      'New form response from First',
    ])
    const read = await h.api('POST', `/api/v1/notifications/${list.data[0].id}/read`)
    expect(read.statusCode).toBe(200)
    expect(read.json()).toMatchObject({ read: true, read_at: expect.any(String) })
    const again = await h.api('POST', `/api/v1/notifications/${list.data[0].id}/read`)
    expect(again.json().read_at).toBe(read.json().read_at)
    const unread = (await h.api('GET', '/api/v1/notifications?unread=true')).json()
    expect(unread.data.map((n: { title: string }) => n.title)).toEqual(['New form response from First'])
    expect((await h.api('GET', '/api/v1/notifications?unread=false')).json().pagination.total).toBe(1)
  })

  test('read_all marks every unread one and says how many', async () => {
    const h = await testApp()
    await h.api('POST', '/api/v1/form_responses', submission())
    await h.api('POST', '/api/webhook/leads', { email: `x${Math.random()}@example.com` })
    expect((await h.api('POST', '/api/v1/notifications/read_all')).json()).toEqual({ updated: 2 })
    expect((await h.api('POST', '/api/v1/notifications/read_all')).json()).toEqual({ updated: 0 })
    expect((await h.api('GET', '/api/v1/notifications?unread=true')).json().data).toEqual([])
  })

  test('are per organization and mode', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    await h.api('POST', '/api/v1/form_responses', submission(), { authorization: `Bearer ${other.key}` })
    expect((await h.api('GET', '/api/v1/notifications')).json().data).toEqual([])
    const theirs = (
      await h.api('GET', '/api/v1/notifications', undefined, { authorization: `Bearer ${other.key}` })
    ).json()
    expect((await h.api('POST', `/api/v1/notifications/${theirs.data[0].id}/read`)).statusCode).toBe(404)
    expect((await h.api('POST', '/api/v1/notifications/read_all')).json()).toEqual({ updated: 0 })
  })

  test('filters by type', async () => {
    const h = await testApp()
    await h.api('POST', '/api/v1/form_responses', submission())
    await h.api('POST', '/api/webhook/leads', { email: `y${Math.random()}@example.com` })
    const leads = (await h.api('GET', '/api/v1/notifications?type=lead.captured')).json().data
    expect(leads.map((n: { type: string }) => n.type)).toEqual(['lead.captured'])
  })
})
