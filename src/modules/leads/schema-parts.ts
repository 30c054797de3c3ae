import Type, { type TSchema } from 'typebox'

/** Field schemas shared by the lead-capture resources. */
export const DateTime = (description: string, example = '2025-01-15T09:30:00.000Z') =>
  Type.String({ format: 'date-time', description, examples: [example] })

export const nullable = <T extends TSchema>(schema: T, description: string) =>
  Type.Union([schema, Type.Null()], { description, examples: (schema as { examples?: unknown[] }).examples })

export const IdParams = (what: string, example: string) =>
  Type.Object({ id: Type.String({ maxLength: 64, description: `${what} id`, examples: [example] }) })

export const CreatedRange = {
  created_after: Type.Optional(DateTime('Created at or after this instant', '2025-01-01T00:00:00Z')),
  created_before: Type.Optional(DateTime('Created before this instant', '2025-02-01T00:00:00Z')),
}

/** Sort by creation, newest first, ties broken by id: the order of every lead-capture list. */
export const NEWEST_FIRST = { name: 'created_at', castTo: 'timestamptz', descending: true } as const
