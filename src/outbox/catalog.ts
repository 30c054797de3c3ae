import Type, { type TSchema } from 'typebox'
import { Activity } from '../modules/activities/activities.schemas.js'
import { Note } from '../modules/notes/notes.schemas.js'
import { Tag } from '../modules/tags/tags.schemas.js'
import { Task } from '../modules/tasks/tasks.schemas.js'

/**
 * Every event Rapport emits, now or in a feature still to come. Names are dotted and stable:
 * integrators subscribe to them. Each entry has the JSON Schema of its `data` and the names other
 * CRMs use for it, accepted in subscription filters.
 */
export interface EventDefinition {
  description: string
  data: TSchema
  aliases?: readonly string[]
}

const id = (example: string, description = 'Id of the object') => Type.String({ description, examples: [example] })
const at = (description: string) => Type.String({ format: 'date-time', description })
const nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()])
const changes = Type.Record(Type.String(), Type.Unknown(), { description: 'Each changed field with its new value' })
/**
 * Money in event payloads is a JSON number in major units (12000 for twelve thousand dollars), as
 * other CRMs' webhooks send it, with the currency beside it. The API keeps its own exact form (a
 * decimal string for deals, integer minor units for invoices): a number prints as the exact decimal
 * up to 15 significant digits, and that API form is the one to compute with beyond.
 */
const money = (description: string) =>
  Type.Number({ description: `${description}, in major units (a JSON number)`, examples: [12000] })
const currency = Type.String({ description: 'ISO 4217 code of the amounts', examples: ['USD'] })

const contactData = Type.Object(
  {
    id: id('c_01jd3k8m2x7q9v4b6n5t0w1y2z'),
    name: nullable(Type.String({ description: 'Full name' })),
    email: nullable(Type.String({ description: 'Email' })),
    phone: nullable(Type.String({ description: 'Phone' })),
    company: nullable(Type.String({ description: 'Company' })),
    status: Type.String({ description: 'lead, prospect, customer or churned' }),
    source: Type.String({ description: 'How the contact entered Rapport' }),
    tags: Type.Array(Type.String(), { description: 'Tag names' }),
    custom_fields: Type.Record(Type.String(), Type.Unknown(), { description: 'Custom fields' }),
    created_at: at('Creation time'),
    updated_at: at('Last change'),
  },
  { additionalProperties: true },
)
/** The data of import.completed / import.failed: the import as `GET /api/v1/imports/{id}` shows it. */
const importData = (status: 'completed' | 'failed') =>
  Type.Object(
    {
      id: id('imp_01jd3k8m2x7q9v4b6n5t0w1y2z', 'The import'),
      status: Type.Literal(status, { description: 'How the import ended' }),
      file_name: nullable(
        Type.String({ description: 'Name of the uploaded file, when it had one', examples: ['contacts.csv'] }),
      ),
      rows_read: Type.Integer({ description: 'Data rows read (the header not counted)', examples: [1000] }),
      created: Type.Integer({ description: 'Rows that created a contact', examples: [980] }),
      updated: Type.Integer({ description: 'Rows that updated a contact', examples: [15] }),
      failed: Type.Integer({ description: 'Rows skipped; listed by GET /api/v1/imports/{id}/errors', examples: [5] }),
      error: nullable(
        Type.String({
          description: 'Why the import failed; null when it completed',
          examples: ['The CSV is malformed near line 7: Quote Not Closed'],
        }),
      ),
      imported_by: Type.String({
        description: 'Who started the import (as in contact.imported)',
        examples: ['user_01jd3k8m2x7q9v4b6n5t0w1y2z'],
      }),
      finished_at: at('When it ended'),
    },
    {
      examples: [
        {
          id: 'imp_01jd3k8m2x7q9v4b6n5t0w1y2z',
          status,
          file_name: 'contacts.csv',
          rows_read: 1000,
          created: 980,
          updated: 15,
          failed: 5,
          error: status === 'failed' ? 'The CSV is malformed near line 1002: Quote Not Closed' : null,
          imported_by: 'user_01jd3k8m2x7q9v4b6n5t0w1y2z',
          finished_at: '2025-01-15T09:31:12.000Z',
        },
      ],
    },
  )
const updated = (example: string) => Type.Object({ id: id(example), changes })
const emailEvent = (what: string, extra: Record<string, TSchema> = {}) => ({
  description: `An email ${what}. Needs email sending: emitted only for messages Rapport sends (a subscription is accepted before)`,
  data: Type.Object({
    id: id('em_01jd3k8m2x7q9v4b6n5t0w1y2z', 'Id of the email message'),
    email: Type.String({ description: 'Recipient address' }),
    contact_id: nullable(id('c_01jd3k8m2x7q9v4b6n5t0w1y2z', 'The recipient contact, when known')),
    campaign_id: nullable(Type.String({ description: 'The campaign that sent it, if any' })),
    occurred_at: at('When it happened'),
    ...extra,
  }),
})

const invoiceEvent = (what: string, when: 'sent_at' | 'paid_at' | 'voided_at') => ({
  description: `An invoice ${what}`,
  data: Type.Object({
    id: id('inv_01jd3k8m2x7q9v4b6n5t0w1y2z'),
    number: Type.String({ description: 'Invoice number' }),
    total: money('Total'),
    currency,
    [when]: at('When'),
  }),
})

export const EVENT_CATALOG = {
  'contact.created': {
    description: 'A contact was created (API, form, import, booking or lead capture)',
    data: contactData,
    aliases: ['client_created'],
  },
  'contact.updated': {
    description: 'Fields of a contact changed; `changes` holds each changed field with its new value',
    data: updated('c_01jd3k8m2x7q9v4b6n5t0w1y2z'),
    aliases: ['client_updated'],
  },
  'contact.deleted': { description: 'A contact was deleted; `data` is the contact as it was', data: contactData },
  'contact.imported': {
    description:
      'A CSV import finished (one event per import, not per row; also after a failed import job that wrote rows)',
    data: Type.Object({
      count: Type.Integer({ description: 'Rows imported or updated', examples: [995] }),
      created: Type.Integer({ description: 'Rows that created a contact', examples: [980] }),
      updated: Type.Integer({ description: 'Rows that updated a contact', examples: [15] }),
      failed: Type.Integer({ description: 'Rows skipped (invalid, or in conflict)', examples: [5] }),
      source: Type.String({ description: 'Import source', examples: ['csv'] }),
      import_id: nullable(
        id('imp_01jd3k8m2x7q9v4b6n5t0w1y2z', 'The import job (`POST /api/v1/imports`); null for a synchronous import'),
      ),
      imported_by: Type.String({
        description:
          'Who ran the import: the person (dashboard user, or the user who created the API key) when there is one, else the API key',
        examples: ['user_01jd3k8m2x7q9v4b6n5t0w1y2z'],
      }),
    }),
  },
  'import.completed': {
    description: 'An import job (`POST /api/v1/imports`) read its whole file; `data` is the import',
    data: importData('completed'),
  },
  'import.failed': {
    description:
      'An import job stopped before the end of its file (not valid CSV, or interrupted too often); rows written before stay',
    data: importData('failed'),
  },
  'deal.created': {
    description: 'A deal was created',
    data: Type.Object({
      id: id('d_01jd3k8m2x7q9v4b6n5t0w1y2z'),
      title: Type.String({ description: 'Deal title' }),
      value: money('Deal value'),
      currency,
      stage: Type.String({ description: 'Stage name', examples: ['Lead'] }),
      contact_id: nullable(id('c_01jd3k8m2x7q9v4b6n5t0w1y2z', 'Linked contact')),
    }),
  },
  'deal.updated': {
    description:
      'Fields of a deal changed; a changed `value` is a number in major units, and `currency` then stands beside `changes`',
    data: Type.Object({
      id: id('d_01jd3k8m2x7q9v4b6n5t0w1y2z'),
      changes,
      currency: Type.Optional(currency),
    }),
  },
  'deal.stage_changed': {
    description: 'A deal moved to another stage',
    data: Type.Object({
      id: id('d_01jd3k8m2x7q9v4b6n5t0w1y2z'),
      previous_stage: Type.String({ description: 'Stage name before' }),
      new_stage: Type.String({ description: 'Stage name after' }),
      value: money('Deal value'),
      currency,
    }),
  },
  'deal.won': {
    description: 'A deal was won',
    data: Type.Object({
      id: id('d_01jd3k8m2x7q9v4b6n5t0w1y2z'),
      title: Type.String({ description: 'Deal title' }),
      value: money('Deal value'),
      currency,
      won_at: at('When it was won'),
    }),
  },
  'deal.lost': {
    description: 'A deal was lost',
    data: Type.Object({
      id: id('d_01jd3k8m2x7q9v4b6n5t0w1y2z'),
      title: Type.String({ description: 'Deal title' }),
      reason: nullable(Type.String({ description: 'Lost reason' })),
    }),
  },
  'deal.deleted': {
    description: 'A deal was deleted',
    data: Type.Object({ id: id('d_01jd3k8m2x7q9v4b6n5t0w1y2z'), title: Type.String({ description: 'Deal title' }) }),
  },
  'task.created': {
    description: 'A task was created',
    data: Type.Object({
      id: id('t_01jd3k8m2x7q9v4b6n5t0w1y2z'),
      title: Type.String({ description: 'Task title' }),
      due_at: nullable(at('Due time')),
      assignee_id: nullable(Type.String({ description: 'Assigned user' })),
    }),
  },
  'task.updated': { description: 'Fields of a task changed', data: updated('t_01jd3k8m2x7q9v4b6n5t0w1y2z') },
  'task.completed': {
    description: 'A task was completed',
    data: Type.Object({
      id: id('t_01jd3k8m2x7q9v4b6n5t0w1y2z'),
      title: Type.String({ description: 'Task title' }),
      completed_by: nullable(
        Type.String({
          description:
            'Who completed it: the person (dashboard user, or the user who created the API key) when there is one, else the API key',
          examples: ['user_01jd3k8m2x7q9v4b6n5t0w1y2z'],
        }),
      ),
    }),
  },
  'task.deleted': { description: 'A task was deleted; `data` is the task as it was', data: Task },
  'activity.created': {
    description: 'An activity was added to the timeline',
    data: Type.Object({
      id: id('a_01jd3k8m2x7q9v4b6n5t0w1y2z'),
      type: Type.String({ description: 'call, email, meeting, sms, note or other' }),
      contact_id: nullable(id('c_01jd3k8m2x7q9v4b6n5t0w1y2z', 'Linked contact')),
      summary: Type.String({ description: 'One-line summary' }),
    }),
  },
  'activity.updated': {
    description: 'Fields of an activity changed (a correction); `changes` holds each changed field with its new value',
    data: updated('a_01jd3k8m2x7q9v4b6n5t0w1y2z'),
  },
  'activity.deleted': { description: 'An activity was deleted; `data` is the activity as it was', data: Activity },
  'note.created': {
    description: 'A note was added to a contact',
    data: Type.Object({
      id: id('n_01jd3k8m2x7q9v4b6n5t0w1y2z'),
      contact_id: id('c_01jd3k8m2x7q9v4b6n5t0w1y2z', 'The contact'),
      deal_id: nullable(Type.String({ description: 'Linked deal' })),
      body: Type.String({ description: 'The note' }),
    }),
  },
  'note.updated': {
    description: 'A note was edited or moved; `changes` holds each changed field with its new value',
    data: updated('n_01jd3k8m2x7q9v4b6n5t0w1y2z'),
  },
  'note.deleted': { description: 'A note was deleted; `data` is the note as it was', data: Note },
  'tag.created': {
    description:
      'A tag was created: explicitly (POST /api/v1/tags) or by its first use on a contact (create, update, import); `contact_count` is 0 at that moment',
    data: Tag,
  },
  'tag.updated': {
    description:
      'A tag was renamed, on itself and on every contact carrying it (no `contact.updated` per contact); `changes.name` is the new name',
    data: updated('tag_01jd3k8m2x7q9v4b6n5t0w1y2z'),
  },
  'tag.deleted': {
    description:
      'A tag was deleted and removed from every contact carrying it (no `contact.updated` per contact); `data` is the tag as it was',
    data: Tag,
  },
  'booking.created': {
    description: 'A visitor booked a time slot',
    data: Type.Object({
      id: id('bk_01jd3k8m2x7q9v4b6n5t0w1y2z'),
      event_type: Type.String({ description: 'Event type slug' }),
      guest_email: Type.String({ description: 'Guest email' }),
      start_time: at('Start (UTC)'),
      end_time: at('End (UTC)'),
      host_name: Type.String({ description: 'Host name' }),
    }),
    aliases: ['booking_received'],
  },
  'booking.rescheduled': {
    description: 'A booking was moved to another time (by the guest or the host)',
    data: Type.Object({
      id: id('bk_01jd3k8m2x7q9v4b6n5t0w1y2z'),
      previous_start_time: at('Start before the move (UTC)'),
      start_time: at('New start (UTC)'),
      end_time: at('New end (UTC)'),
      rescheduled_by: Type.String({ description: 'guest or host' }),
    }),
  },
  'booking.cancelled': {
    description: 'A booking was cancelled',
    data: Type.Object({
      id: id('bk_01jd3k8m2x7q9v4b6n5t0w1y2z'),
      cancelled_by: Type.String({ description: 'guest or host' }),
      reason: nullable(Type.String({ description: 'Why' })),
    }),
  },
  'form_response.created': {
    description: 'A form was submitted and stored',
    data: Type.Object({
      id: id('fr_01jd3k8m2x7q9v4b6n5t0w1y2z'),
      lead_id: id('c_01jd3k8m2x7q9v4b6n5t0w1y2z', 'The contact the lead became'),
      form_id: Type.Optional(nullable(id('form_01jd3k8m2x7q9v4b6n5t0w1y2z', 'The form, if the response names one'))),
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
      created_at: at('Submission time'),
    }),
  },
  'form_response.rejected': {
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
      rejected_at: at('When'),
    }),
  },
  'lead.updated': {
    description:
      'A captured lead matched an existing contact, which was completed (`changes` may be empty); `client_updated` subscribers receive it too',
    data: updated('c_01jd3k8m2x7q9v4b6n5t0w1y2z'),
    aliases: ['client_updated'],
  },
  'callback.scheduled': {
    description: 'A "call me back" request was scheduled',
    data: Type.Object({
      id: id('cb_01jd3k8m2x7q9v4b6n5t0w1y2z'),
      contact_id: id('c_01jd3k8m2x7q9v4b6n5t0w1y2z', 'Who to call'),
      preferred_time: nullable(at('Preferred time')),
    }),
  },
  'callback.completed': {
    description: 'A callback was done',
    data: Type.Object({ id: id('cb_01jd3k8m2x7q9v4b6n5t0w1y2z'), completed_at: at('When') }),
  },
  'work_order.created': {
    description: 'A work order was created',
    data: Type.Object({
      id: id('wo_01jd3k8m2x7q9v4b6n5t0w1y2z'),
      title: Type.String({ description: 'Title' }),
      contact_id: nullable(Type.String({ description: 'Customer contact' })),
      scheduled_at: nullable(at('Scheduled time')),
    }),
    aliases: ['work_order_created'],
  },
  'work_order.completed': {
    description: 'A work order was completed',
    data: Type.Object({
      id: id('wo_01jd3k8m2x7q9v4b6n5t0w1y2z'),
      title: Type.String({ description: 'Title' }),
      completed_at: at('When'),
    }),
    aliases: ['work_order_completed'],
  },
  'work_order.cancelled': {
    description: 'A work order was cancelled',
    data: Type.Object({
      id: id('wo_01jd3k8m2x7q9v4b6n5t0w1y2z'),
      title: Type.String({ description: 'Title' }),
      cancelled_at: at('When'),
    }),
  },
  'invoice.sent': { ...invoiceEvent('was sent', 'sent_at'), aliases: ['invoice_sent'] },
  'invoice.paid': { ...invoiceEvent('was paid', 'paid_at'), aliases: ['invoice_paid'] },
  'invoice.voided': invoiceEvent('was voided (kept for the record, never payable)', 'voided_at'),
  'campaign.started': {
    description: 'An email campaign started sending: its send ledger (one row per recipient) was written',
    data: Type.Object({
      id: id('cmp_01jd3k8m2x7q9v4b6n5t0w1y2z'),
      name: Type.String({ description: 'Campaign name', examples: ['March news'] }),
      recipients: Type.Integer({ description: 'Rows of the send ledger, skipped ones included', examples: [1200] }),
      skipped: Type.Integer({ description: 'Recipients skipped (unsubscribed, bounced, complained)', examples: [17] }),
    }),
  },
  'campaign.paused': {
    description: 'An email campaign was paused: nothing more is queued until it is resumed',
    data: Type.Object({
      id: id('cmp_01jd3k8m2x7q9v4b6n5t0w1y2z'),
      name: Type.String({ description: 'Campaign name', examples: ['March news'] }),
      sent: Type.Integer({ description: 'Emails sent so far', examples: [600] }),
      pending: Type.Integer({ description: 'Recipients not sent yet', examples: [583] }),
    }),
  },
  'campaign.completed': {
    description: 'An email campaign finished sending: no recipient is left pending (fires once per completion)',
    data: Type.Object({
      id: id('cmp_01jd3k8m2x7q9v4b6n5t0w1y2z'),
      name: Type.String({ description: 'Campaign name', examples: ['March news'] }),
      sent: Type.Integer({ description: 'Emails sent', examples: [1180] }),
      failed: Type.Integer({ description: 'Emails that could not be sent', examples: [3] }),
    }),
  },
  'email.sent': emailEvent(
    'was sent: handed to the SMTP server, or kept in the development mailbox when none is configured',
  ),
  'email.delivered': emailEvent('was delivered (accepted by the next hop, the SMTP server)'),
  'email.opened': emailEvent('was opened'),
  'email.clicked': emailEvent('link was clicked', { url: Type.String({ description: 'The clicked link' }) }),
  'email.soft_bounced': emailEvent('bounced temporarily', {
    reason: nullable(Type.String({ description: 'Bounce reason' })),
  }),
  'email.hard_bounced': emailEvent('bounced permanently', {
    reason: nullable(Type.String({ description: 'Bounce reason' })),
  }),
  'email.complained': emailEvent('was reported as spam'),
  'email.unsubscribed': emailEvent('recipient unsubscribed'),
  'webhook_endpoint.disabled': {
    description: 'An endpoint was disabled after failing for too long (sent to the organization’s other endpoints)',
    data: Type.Object({
      id: id('we_01jd3k8m2x7q9v4b6n5t0w1y2z', 'The disabled endpoint'),
      url: Type.String({ description: 'Its URL' }),
      reason: Type.String({ description: 'Why it was disabled' }),
      disabled_at: at('When'),
    }),
  },
  'webhook.test': {
    description: 'A test event, sent on request to one endpoint',
    data: Type.Object({
      endpoint_id: id('we_01jd3k8m2x7q9v4b6n5t0w1y2z', 'The endpoint'),
      message: Type.String({ description: 'A friendly note' }),
    }),
  },
} satisfies Record<string, EventDefinition>

export type EventType = keyof typeof EVENT_CATALOG
export const EVENT_TYPE_NAMES = Object.keys(EVENT_CATALOG) as EventType[]

/** Alias → the catalog events it stands for (`client_updated` covers contact and lead updates). */
const ALIASES = new Map<string, EventType[]>()
for (const name of EVENT_TYPE_NAMES) {
  for (const alias of (EVENT_CATALOG[name] as EventDefinition).aliases ?? []) {
    ALIASES.set(alias, [...(ALIASES.get(alias) ?? []), name])
  }
}

/** The catalog names a name or an alias stands for; undefined when neither. `*` stays `*`. */
export function catalogNamesOf(name: string): EventType[] | ['*'] | undefined {
  if (name === '*') return ['*']
  if (name in EVENT_CATALOG) return [name as EventType]
  return ALIASES.get(name)
}
