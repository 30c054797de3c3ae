import Type from 'typebox'
import { defineEvent, eventAt, eventId, nullable, updatedEventData } from '../../outbox/define.js'

/** A contact in event payloads (contact.created, contact.deleted): the contact as the API shows it. */
const ContactEventData = Type.Object(
  {
    id: eventId('c_01jd3k8m2x7q9v4b6n5t0w1y2z'),
    name: nullable(Type.String({ description: 'Full name' })),
    email: nullable(Type.String({ description: 'Email' })),
    phone: nullable(Type.String({ description: 'Phone' })),
    company: nullable(Type.String({ description: 'Company' })),
    status: Type.String({ description: 'lead, prospect, customer or churned' }),
    source: Type.String({ description: 'How the contact entered Rapport' }),
    external_id: Type.Optional(nullable(Type.String({ description: 'Your own id for the contact' }))),
    owner_id: nullable(
      Type.String({ description: 'The user who owns the contact', examples: ['user_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    ),
    tags: Type.Array(Type.String(), { description: 'Tag names' }),
    custom_fields: Type.Record(Type.String(), Type.Unknown(), { description: 'Custom fields' }),
    created_at: eventAt('Creation time'),
    updated_at: eventAt('Last change'),
  },
  { additionalProperties: true },
)

export const contactCreated = defineEvent({
  name: 'contact.created',
  description: 'A contact was created (API, form, import, booking or lead capture)',
  data: ContactEventData,
  aliases: ['client_created'],
})

export const contactUpdated = defineEvent({
  name: 'contact.updated',
  description: 'Fields of a contact changed; `changes` holds each changed field with its new value',
  data: updatedEventData('c_01jd3k8m2x7q9v4b6n5t0w1y2z'),
  aliases: ['client_updated'],
})

export const contactDeleted = defineEvent({
  name: 'contact.deleted',
  description: 'A contact was deleted; `data` is the contact as it was',
  data: ContactEventData,
})

export const contactImported = defineEvent({
  name: 'contact.imported',
  description:
    'A CSV import finished (one event per import, not per row; also after a failed import job that wrote rows)',
  data: Type.Object({
    count: Type.Integer({ description: 'Rows imported or updated', examples: [995] }),
    created: Type.Integer({ description: 'Rows that created a contact', examples: [980] }),
    updated: Type.Integer({ description: 'Rows that updated a contact', examples: [15] }),
    failed: Type.Integer({ description: 'Rows skipped (invalid, or in conflict)', examples: [5] }),
    source: Type.String({ description: 'Import source', examples: ['csv'] }),
    import_id: nullable(
      eventId(
        'imp_01jd3k8m2x7q9v4b6n5t0w1y2z',
        'The import job (`POST /api/v1/imports`); null for a synchronous import',
      ),
    ),
    imported_by: Type.String({
      description:
        'Who ran the import: the person (dashboard user, or the user who created the API key) when there is one, else the API key',
      examples: ['user_01jd3k8m2x7q9v4b6n5t0w1y2z'],
    }),
  }),
})

export const CONTACT_EVENTS = [contactCreated, contactUpdated, contactDeleted, contactImported] as const
