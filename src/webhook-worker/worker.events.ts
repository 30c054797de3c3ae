import Type from 'typebox'
import { defineEvent, eventAt, eventId } from '../outbox/define.js'

export const webhookEndpointDisabled = defineEvent({
  name: 'webhook_endpoint.disabled',
  description: 'An endpoint was disabled after failing for too long (sent to the organization’s other endpoints)',
  data: Type.Object({
    id: eventId('we_01jd3k8m2x7q9v4b6n5t0w1y2z', 'The disabled endpoint'),
    url: Type.String({ description: 'Its URL' }),
    reason: Type.String({ description: 'Why it was disabled' }),
    disabled_at: eventAt('When'),
  }),
})

export const WORKER_EVENTS = [webhookEndpointDisabled] as const
