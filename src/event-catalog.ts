import { ACTIVITY_EVENTS } from './modules/activities/activities.events.js'
import { BILLING_EVENTS } from './modules/billing/billing.events.js'
import { CONTACT_EVENTS } from './modules/contacts/contacts.events.js'
import { DEAL_EVENTS } from './modules/deals/deals.events.js'
import { DELIVERABILITY_EVENTS } from './modules/deliverability/deliverability.events.js'
import { EMAIL_EVENTS } from './modules/email/email.events.js'
import { IMPORT_EVENTS } from './modules/imports/imports.events.js'
import { LEAD_EVENTS } from './modules/leads/leads.events.js'
import { NOTE_EVENTS } from './modules/notes/notes.events.js'
import { BOOKING_EVENTS } from './modules/scheduling/bookings.events.js'
import { TAG_EVENTS } from './modules/tags/tags.events.js'
import { TASK_EVENTS } from './modules/tasks/tasks.events.js'
import { DELIVERY_EVENTS } from './modules/webhook-deliveries/deliveries.events.js'
import { composeCatalog } from './outbox/define.js'
import { WORKER_EVENTS } from './webhook-worker/worker.events.js'

/**
 * Every event Rapport emits: the composition of the modules' `*.events.ts` declarations, in the
 * order `GET /api/v1/event_types` and OpenAPI's `webhooks` list them. A module adding an event
 * declares it in its own events file; a new events file is listed here (docs/webhooks.md,
 * "Declaring an event"). app.ts hands this catalog to the routes and the OpenAPI hook.
 */
export const EVENT_DEFINITIONS = [
  ...CONTACT_EVENTS,
  ...IMPORT_EVENTS,
  ...DEAL_EVENTS,
  ...TASK_EVENTS,
  ...ACTIVITY_EVENTS,
  ...NOTE_EVENTS,
  ...TAG_EVENTS,
  ...BOOKING_EVENTS,
  ...LEAD_EVENTS,
  ...BILLING_EVENTS,
  ...EMAIL_EVENTS,
  ...DELIVERABILITY_EVENTS,
  ...WORKER_EVENTS,
  ...DELIVERY_EVENTS,
] as const

/** A catalog event name. */
export type EventName = (typeof EVENT_DEFINITIONS)[number]['name']

export const eventCatalog = composeCatalog(EVENT_DEFINITIONS)
