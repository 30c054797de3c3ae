import Type from 'typebox'
import { defineEvent, eventAt, eventId, nullable, updatedEventData } from '../../outbox/define.js'

export const formResponseCreated = defineEvent({
  name: 'form_response.created',
  description: 'A form was submitted and stored',
  data: Type.Object({
    id: eventId('fr_01jd3k8m2x7q9v4b6n5t0w1y2z'),
    lead_id: eventId('c_01jd3k8m2x7q9v4b6n5t0w1y2z', 'The contact the lead became'),
    form_id: Type.Optional(nullable(eventId('form_01jd3k8m2x7q9v4b6n5t0w1y2z', 'The form, if the response names one'))),
    form_name: Type.Optional(
      nullable(Type.String({ description: 'The form’s name, if any', examples: ['Contact us'] })),
    ),
    form_data: Type.Object(
      {
        name: Type.Optional(Type.String({ description: 'Name' })),
        email: Type.Optional(Type.String({ description: 'Email' })),
      },
      { additionalProperties: true, description: 'Submitted fields' },
    ),
    created_at: eventAt('Submission time'),
  }),
})

export const formResponseRejected = defineEvent({
  name: 'form_response.rejected',
  description: 'A form submission was rejected as spam (honeypot, too fast, captcha)',
  data: Type.Object({
    form_id: nullable(Type.String({ description: 'The form' })),
    form_name: Type.Optional(nullable(Type.String({ description: 'The form’s name', examples: ['Contact us'] }))),
    form_data: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'The fields submitted, by their keys (honeypot left out)',
      }),
    ),
    reason: Type.String({ description: 'Why it was rejected', examples: ['honeypot'] }),
    rejected_at: eventAt('When'),
  }),
})

export const leadUpdated = defineEvent({
  name: 'lead.updated',
  description:
    'A captured lead matched an existing contact, which was completed (`changes` may be empty); `client_updated` subscribers receive it too',
  data: updatedEventData('c_01jd3k8m2x7q9v4b6n5t0w1y2z'),
  aliases: ['client_updated'],
})

export const callbackScheduled = defineEvent({
  name: 'callback.scheduled',
  description: 'A "call me back" request was scheduled',
  data: Type.Object({
    id: eventId('cb_01jd3k8m2x7q9v4b6n5t0w1y2z'),
    contact_id: eventId('c_01jd3k8m2x7q9v4b6n5t0w1y2z', 'Who to call'),
    preferred_time: nullable(eventAt('Preferred time')),
  }),
})

export const callbackCompleted = defineEvent({
  name: 'callback.completed',
  description: 'A callback was done',
  data: Type.Object({ id: eventId('cb_01jd3k8m2x7q9v4b6n5t0w1y2z'), completed_at: eventAt('When') }),
})

export const LEAD_EVENTS = [
  formResponseCreated,
  formResponseRejected,
  leadUpdated,
  callbackScheduled,
  callbackCompleted,
] as const
