import Type from 'typebox'
import {
  defineEvent,
  eventAt,
  eventChanges,
  eventCurrency,
  eventId,
  eventMoney,
  nullable,
} from '../../outbox/define.js'

const dealId = eventId('d_01jd3k8m2x7q9v4b6n5t0w1y2z')
const title = Type.String({ description: 'Deal title' })

export const dealCreated = defineEvent({
  name: 'deal.created',
  description: 'A deal was created',
  data: Type.Object({
    id: dealId,
    title,
    value: eventMoney('Deal value'),
    currency: eventCurrency,
    stage: Type.String({ description: 'Stage name', examples: ['Lead'] }),
    contact_id: nullable(eventId('c_01jd3k8m2x7q9v4b6n5t0w1y2z', 'Linked contact')),
  }),
})

export const dealUpdated = defineEvent({
  name: 'deal.updated',
  description:
    'Fields of a deal changed; a changed `value` is a number in major units, and `currency` then stands beside `changes`',
  data: Type.Object({ id: dealId, changes: eventChanges, currency: Type.Optional(eventCurrency) }),
})

export const dealStageChanged = defineEvent({
  name: 'deal.stage_changed',
  description: 'A deal moved to another stage',
  data: Type.Object({
    id: dealId,
    previous_stage: Type.String({ description: 'Stage name before' }),
    new_stage: Type.String({ description: 'Stage name after' }),
    value: eventMoney('Deal value'),
    currency: eventCurrency,
  }),
})

export const dealWon = defineEvent({
  name: 'deal.won',
  description: 'A deal was won',
  data: Type.Object({
    id: dealId,
    title,
    value: eventMoney('Deal value'),
    currency: eventCurrency,
    won_at: eventAt('When it was won'),
  }),
})

export const dealLost = defineEvent({
  name: 'deal.lost',
  description: 'A deal was lost',
  data: Type.Object({ id: dealId, title, reason: nullable(Type.String({ description: 'Lost reason' })) }),
})

export const dealDeleted = defineEvent({
  name: 'deal.deleted',
  description: 'A deal was deleted',
  data: Type.Object({ id: dealId, title }),
})

export const DEAL_EVENTS = [dealCreated, dealUpdated, dealStageChanged, dealWon, dealLost, dealDeleted] as const
