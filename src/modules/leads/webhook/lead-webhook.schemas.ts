import Type, { type Static } from 'typebox'
import { Contact, CustomFields, Email, Phone } from '../../contacts/contacts.schemas.js'

export const LeadCapture = Type.Object(
  {
    email: { ...Email, description: 'The lead’s email: matched case-insensitively against existing contacts' },
    name: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Full name', examples: ['John Doe'] }),
    ),
    phone: Type.Optional(Phone),
    company: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Company name', examples: ['Acme Inc.'] }),
    ),
    message: Type.Optional(
      Type.String({
        maxLength: 10_000,
        description: 'What the lead wrote',
        examples: ['Please call me about a quote'],
      }),
    ),
    source: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'Where the lead came from (your label: a form, an ad campaign…); shown on the timeline',
        examples: ['google_ads'],
      }),
    ),
    custom_fields: Type.Optional({
      ...CustomFields,
      description: 'Added to the contact’s custom fields; keys it already has are kept as they are',
    }),
  },
  {
    additionalProperties: false,
    description: 'A lead from any source',
    examples: [
      {
        name: 'John Doe',
        email: 'john@example.com',
        phone: '+1234567890',
        message: 'Please call me about a quote',
        source: 'website',
      },
    ],
  },
)
export type LeadCapture = Static<typeof LeadCapture>

export const CapturedLead = Type.Object(
  {
    ...Contact.properties,
    created: Type.Boolean({ description: 'true when the lead made a new contact, false when it matched one' }),
  },
  { description: 'The contact the lead became or matched, and whether it was created' },
)
export type CapturedLead = Static<typeof CapturedLead>
