import { describe, expect, test } from 'vitest'
import { recordBounce } from '../../src/modules/deliverability/bounces.js'
import { testApp } from '../harness.js'

/**
 * A complaint (an abuse report about one of our messages) recorded by the shared recorder, as
 * every intake path (feedback reports, provider webhooks) will call it: the complaint event, the
 * suppression and the contact's status, in one transaction.
 */
describe('a recorded complaint', () => {
  test('emits email.complained, suppresses the address and marks its contact complained', async () => {
    const h = await testApp()
    const contact = (await h.api('POST', '/api/v1/contacts', { email: 'angry@example.com' })).json()
    await h.deps.db.transaction().execute((tx) =>
      recordBounce(
        tx,
        {
          id: null,
          org_id: h.org.id,
          livemode: true,
          to_email: 'angry@example.com',
          contact_id: contact.id,
          campaign_id: null,
          subject: 'Our spring offers',
          from_email: 'news@acme.example',
        },
        { kind: 'complaint', smtpDescription: 'abuse report: spam' },
        'test',
      ),
    )

    const events = (await h.api('GET', '/api/v1/events?type=email.complained')).json().data
    expect(events).toHaveLength(1)
    expect(events[0].data).toMatchObject({
      email: 'angry@example.com',
      contact_id: contact.id,
      category: 'complaint',
      smtp_description: 'abuse report: spam',
      subject: 'Our spring offers',
      from: 'news@acme.example',
    })
    const suppressed = (await h.api('GET', '/api/v1/suppressions')).json().data
    expect(suppressed).toEqual([expect.objectContaining({ email: 'angry@example.com', reason: 'complaint' })])
    const subscription = (await h.api('GET', `/api/v1/contacts/${contact.id}/email-subscription`)).json()
    expect(subscription.status).toBe('complained')
  })
})
