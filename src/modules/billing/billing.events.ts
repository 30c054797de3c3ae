import Type from 'typebox'
import { defineEvent, eventAt, eventCurrency, eventId, eventMoney, nullable } from '../../outbox/define.js'

const workOrderId = eventId('wo_01jd3k8m2x7q9v4b6n5t0w1y2z')
const title = Type.String({ description: 'Title' })

export const workOrderCreated = defineEvent({
  name: 'work_order.created',
  description: 'A work order was created',
  data: Type.Object({
    id: workOrderId,
    title,
    contact_id: nullable(Type.String({ description: 'Customer contact' })),
    scheduled_at: nullable(eventAt('Scheduled time')),
  }),
  aliases: ['work_order_created'],
})

export const workOrderCompleted = defineEvent({
  name: 'work_order.completed',
  description: 'A work order was completed',
  data: Type.Object({ id: workOrderId, title, completed_at: eventAt('When') }),
  aliases: ['work_order_completed'],
})

export const workOrderCancelled = defineEvent({
  name: 'work_order.cancelled',
  description: 'A work order was cancelled',
  data: Type.Object({ id: workOrderId, title, cancelled_at: eventAt('When') }),
})

const invoiceData = <When extends 'sent_at' | 'paid_at' | 'voided_at'>(when: When) =>
  Type.Object({
    id: eventId('inv_01jd3k8m2x7q9v4b6n5t0w1y2z'),
    number: Type.String({ description: 'Invoice number' }),
    total: eventMoney('Total'),
    currency: eventCurrency,
    ...({ [when]: eventAt('When') } as Record<When, ReturnType<typeof eventAt>>),
  })

export const invoiceSent = defineEvent({
  name: 'invoice.sent',
  description: 'An invoice was sent',
  data: invoiceData('sent_at'),
  aliases: ['invoice_sent'],
})

export const invoicePaid = defineEvent({
  name: 'invoice.paid',
  description: 'An invoice was paid',
  data: invoiceData('paid_at'),
  aliases: ['invoice_paid'],
})

export const invoiceVoided = defineEvent({
  name: 'invoice.voided',
  description: 'An invoice was voided (kept for the record, never payable)',
  data: invoiceData('voided_at'),
})

export const BILLING_EVENTS = [
  workOrderCreated,
  workOrderCompleted,
  workOrderCancelled,
  invoiceSent,
  invoicePaid,
  invoiceVoided,
] as const
