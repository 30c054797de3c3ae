import Type from 'typebox'

/** Field schemas shared by tasks, activities and notes: the links to a contact, a deal or a user. */
export const ContactIdField = Type.String({
  maxLength: 64,
  description: 'The linked contact, of your organization and mode',
  examples: ['c_01jd3k8m2x7q9v4b6n5t0w1y2z'],
})
export const DealIdField = Type.String({
  maxLength: 64,
  description: 'The linked deal, of your organization and mode',
  examples: ['d_01jd3k8m2x7q9v4b6n5t0w1y2z'],
})
export const UserIdField = Type.String({
  maxLength: 64,
  description: 'A user of your organization',
  examples: ['user_01jd3k8m2x7q9v4b6n5t0w1y2z'],
})

/** A link that may be null: "none", or "cleared" once the linked object was deleted. */
export const nullableLink = (field: typeof ContactIdField, description: string) =>
  Type.Union([field, Type.Null()], { description, examples: (field as { examples?: unknown[] }).examples })

export const DateTime = (description: string, example = '2025-01-15T09:30:00.000Z') =>
  Type.String({ format: 'date-time', description, examples: [example] })
