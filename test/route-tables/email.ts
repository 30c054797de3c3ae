import type { RouteContract } from '../contract.js'
import type { TestApp } from '../harness.js'

/** POSTs `body` to `path` with `key` and returns the new object's id. */
const made = (path: string, body: () => object) => async (h: TestApp, key: string) => {
  const res = await h.api('POST', path, body(), { authorization: `Bearer ${key}` })
  if (res.statusCode >= 300) throw new Error(`${path}: ${res.statusCode} ${res.body}`)
  return res.json().id as string
}
const unique = () => Math.random().toString(36).slice(2, 10)

const newSender = made('/api/v1/senders', () => ({ email: `s.${unique()}@acme.example` }))
const newTemplate = made('/api/v1/email-templates', () => ({ name: 'Welcome', subject: 'Hi', html: '<p>Hi</p>' }))
const newList = made('/api/v1/email-lists', () => ({ name: `List ${unique()}` }))
const SEGMENT_FILTER = { and: [{ field: 'tags', op: 'contains', value: 'vip' }] }
const newSegment = made('/api/v1/email-segments', () => ({ name: `Segment ${unique()}`, filter: SEGMENT_FILTER }))
const newCampaign = made('/api/v1/campaigns', () => ({ name: `Campaign ${unique()}`, subject: 'News' }))
/** A queued email: the organization's first sender becomes its default, then the send. */
const newEmail = async (h: TestApp, key: string) => {
  await newSender(h, key)
  return made('/api/v1/emails', () => ({ to: `r.${unique()}@example.com`, subject: 'Hi', text: 'Hello' }))(h, key)
}
const newContact = made('/api/v1/contacts', () => ({ email: `c.${unique()}@example.com` }))

/**
 * The email routes, checked by the shared route contract. State changes of campaigns and sends
 * (schedule, pause, test sends) are checked for 401 and 403 only: their success depends on the
 * campaign's state and a sender, which their own tests cover.
 */
export const EMAIL_ROUTES: RouteContract[] = [
  { method: 'POST', path: '/api/v1/senders', scope: 'admin', body: { email: 'contract@acme.example' } },
  { method: 'GET', path: '/api/v1/senders', scope: 'read' },
  { method: 'GET', path: '/api/v1/senders/:id', scope: 'read', create: newSender },
  { method: 'PATCH', path: '/api/v1/senders/:id', scope: 'admin', body: { name: 'Acme' }, create: newSender },
  { method: 'DELETE', path: '/api/v1/senders/:id', scope: 'admin', create: newSender },
  { method: 'GET', path: '/api/v1/email-settings', scope: 'read' },
  { method: 'PATCH', path: '/api/v1/email-settings', scope: 'admin', body: { booking_emails: false } },
  { method: 'GET', path: '/api/v1/email-settings/transport', scope: 'admin' },
  {
    method: 'POST',
    path: '/api/v1/emails',
    scope: 'write',
    body: { to: 'a@example.com', subject: 'Hi', text: 'Hello' },
  },
  { method: 'GET', path: '/api/v1/emails', scope: 'read' },
  { method: 'GET', path: '/api/v1/emails/:id', scope: 'read', create: newEmail },
  { method: 'GET', path: '/api/v1/emails/:id/links', scope: 'read', create: newEmail },
  { method: 'GET', path: '/api/v1/emails/:id/tracking', scope: 'read', create: newEmail },
  { method: 'GET', path: '/api/v1/mailbox', scope: 'read' },
  { method: 'GET', path: '/api/v1/mailbox/:id', scope: 'read' },
  {
    method: 'POST',
    path: '/api/v1/email-templates',
    scope: 'write',
    body: { name: 'Welcome', subject: 'Hi', html: '<p>Hi</p>' },
  },
  { method: 'GET', path: '/api/v1/email-templates', scope: 'read' },
  { method: 'GET', path: '/api/v1/email-templates/:id', scope: 'read', create: newTemplate },
  {
    method: 'PATCH',
    path: '/api/v1/email-templates/:id',
    scope: 'write',
    body: { subject: 'Hello' },
    create: newTemplate,
  },
  { method: 'DELETE', path: '/api/v1/email-templates/:id', scope: 'write', create: newTemplate },
  { method: 'POST', path: '/api/v1/email-templates/:id/preview', scope: 'read', body: {}, create: newTemplate },
  { method: 'POST', path: '/api/v1/email-templates/:id/test', scope: 'write', body: { to: 'me@acme.example' } },
  {
    method: 'POST',
    path: '/api/v1/email-templates/preview',
    scope: 'read',
    body: { subject: 'Hi', html: '<p>Hi</p>' },
  },
  { method: 'POST', path: '/api/v1/email-lists', scope: 'write', body: { name: 'Newsletter' } },
  { method: 'GET', path: '/api/v1/email-lists', scope: 'read' },
  { method: 'GET', path: '/api/v1/email-lists/:id', scope: 'read', create: newList },
  { method: 'PATCH', path: '/api/v1/email-lists/:id', scope: 'write', body: { description: 'News' }, create: newList },
  { method: 'DELETE', path: '/api/v1/email-lists/:id', scope: 'write', create: newList },
  { method: 'GET', path: '/api/v1/email-lists/:id/members', scope: 'read', create: newList },
  { method: 'POST', path: '/api/v1/email-lists/:id/members', scope: 'write', body: { contact_ids: ['c_x'] } },
  { method: 'POST', path: '/api/v1/email-lists/:id/members/remove', scope: 'write', body: { contact_ids: ['c_x'] } },
  { method: 'GET', path: '/api/v1/contacts/:id/email-subscription', scope: 'read', create: newContact },
  {
    method: 'PUT',
    path: '/api/v1/contacts/:id/email-subscription',
    scope: 'write',
    body: { status: 'unsubscribed' },
    create: newContact,
  },
  { method: 'POST', path: '/api/v1/email-segments', scope: 'write', body: { name: 'VIP', filter: SEGMENT_FILTER } },
  { method: 'GET', path: '/api/v1/email-segments', scope: 'read' },
  { method: 'POST', path: '/api/v1/email-segments/preview', scope: 'read', body: { filter: SEGMENT_FILTER } },
  { method: 'GET', path: '/api/v1/email-segments/:id', scope: 'read', create: newSegment },
  { method: 'PATCH', path: '/api/v1/email-segments/:id', scope: 'write', body: { name: 'VIPs' }, create: newSegment },
  { method: 'DELETE', path: '/api/v1/email-segments/:id', scope: 'write', create: newSegment },
  { method: 'POST', path: '/api/v1/campaigns', scope: 'write', body: { name: 'March news', subject: 'News' } },
  { method: 'GET', path: '/api/v1/campaigns', scope: 'read' },
  { method: 'GET', path: '/api/v1/campaigns/:id', scope: 'read', create: newCampaign },
  { method: 'GET', path: '/api/v1/campaigns/:id/links', scope: 'read', create: newCampaign },
  { method: 'GET', path: '/api/v1/campaigns/:id/countries', scope: 'read', create: newCampaign },
  { method: 'PATCH', path: '/api/v1/campaigns/:id', scope: 'write', body: { subject: 'March' }, create: newCampaign },
  { method: 'DELETE', path: '/api/v1/campaigns/:id', scope: 'write', create: newCampaign },
  { method: 'POST', path: '/api/v1/campaigns/:id/schedule', scope: 'write', body: {} },
  { method: 'POST', path: '/api/v1/campaigns/:id/pause', scope: 'write' },
  { method: 'POST', path: '/api/v1/campaigns/:id/resume', scope: 'write' },
  { method: 'POST', path: '/api/v1/campaigns/:id/cancel', scope: 'write' },
  { method: 'POST', path: '/api/v1/campaigns/:id/resend-failed', scope: 'write' },
  { method: 'POST', path: '/api/v1/campaigns/:id/test-send', scope: 'write', body: { to: 'me@acme.example' } },
]
