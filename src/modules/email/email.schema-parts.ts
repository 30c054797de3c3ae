import Type, { type TSchema } from 'typebox'

/** Field schemas shared by the email resources. */
export const Id = (description: string, example: string) =>
  Type.String({ maxLength: 64, description, examples: [example] })
export const DateTime = (description: string, example = '2025-01-15T09:30:00.000Z') =>
  Type.String({ format: 'date-time', description, examples: [example] })
export const nullable = <T extends TSchema>(schema: T, description: string) =>
  Type.Union([schema, Type.Null()], { description, examples: (schema as { examples?: unknown[] }).examples })
export const EmailAddress = (description: string, example = 'jane@example.com') =>
  Type.String({ format: 'email', maxLength: 320, description, examples: [example] })
export const IdParams = (what: string, example: string) =>
  Type.Object({ id: Type.String({ maxLength: 64, description: `${what} id`, examples: [example] }) })

export const SENDER_ID = 'snd_01jd3k8m2x7q9v4b6n5t0w1y2z'
export const EMAIL_ID = 'em_01jd3k8m2x7q9v4b6n5t0w1y2z'
export const TEMPLATE_ID = 'etpl_01jd3k8m2x7q9v4b6n5t0w1y2z'
export const CONTACT_ID = 'c_01jd3k8m2x7q9v4b6n5t0w1y2z'

/** Newest first, ties broken by id: the order of every email list. */
export const NEWEST_FIRST = { name: 'created_at', castTo: 'timestamptz', descending: true } as const
