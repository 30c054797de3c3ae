import { describe, expect, test } from 'vitest'
import { testApp } from '../harness.js'
import { book, bookableHost, fixedClock, publicApi } from '../route-tables/scheduling.js'

const AT_0800 = '2026-03-02T08:00:00Z'

describe('GET /api/public/bookings/:id/ics', () => {
  test('names the file after the stored booking', async () => {
    const h = await testApp({ clock: fixedClock })
    const { host } = await bookableHost(h)
    const booking = (await book(h, host.username, '30-min-call', AT_0800)).json()
    const res = await publicApi(h, 'GET', booking.ics_url)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${booking.id}.ics"`)
  })

  test('a path id that names no booking gets a 404 without a Content-Disposition built from it', async () => {
    const h = await testApp({ clock: fixedClock })
    const { host } = await bookableHost(h)
    const booking = (await book(h, host.username, '30-min-call', AT_0800)).json()
    const token = encodeURIComponent(booking.cancel_token)
    for (const rawId of ['bk_x%22%3B%20filename%3D%22evil.exe', 'bk_%C4%80%E2%80%A8', `${booking.id}%22`]) {
      const res = await publicApi(h, 'GET', `/api/public/bookings/${rawId}/ics?token=${token}`)
      expect(res.statusCode, rawId).toBe(404)
      expect(res.headers['content-disposition'], rawId).toBeUndefined()
      expect(res.json().error.code).toBe('not_found')
    }
  })
})
