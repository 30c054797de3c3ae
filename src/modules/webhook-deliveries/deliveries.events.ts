import Type from 'typebox'
import { defineEvent, eventId } from '../../outbox/define.js'

export const webhookTest = defineEvent({
  name: 'webhook.test',
  description: 'A test event, sent on request to one endpoint',
  data: Type.Object({
    endpoint_id: eventId('we_01jd3k8m2x7q9v4b6n5t0w1y2z', 'The endpoint'),
    message: Type.String({ description: 'A friendly note' }),
  }),
})

export const DELIVERY_EVENTS = [webhookTest] as const
