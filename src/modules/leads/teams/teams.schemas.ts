import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../../core/pagination.js'
import { DateTime, IdParams, nullable } from '../schema-parts.js'

const Name = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '\\S',
  description: 'Team name; unique per organization and mode, compared case-insensitively',
  examples: ['Sales'],
})
const Description = Type.String({ maxLength: 2000, description: 'What the team does', examples: ['Inbound sales'] })

export const Team = Type.Object(
  {
    id: Type.String({ description: 'Team id', examples: ['team_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    object: Type.Literal('team', { description: 'Always `team`' }),
    name: Name,
    description: nullable(Description, 'What the team does; null if not set'),
    created_at: DateTime('When the team was created'),
    updated_at: DateTime('When the team last changed'),
  },
  {
    description: 'A group of people that handles leads and callbacks of the forms it is given',
    examples: [
      {
        id: 'team_01jd3k8m2x7q9v4b6n5t0w1y2z',
        object: 'team',
        name: 'Sales',
        description: 'Inbound sales',
        created_at: '2025-01-15T09:30:00.000Z',
        updated_at: '2025-01-15T09:30:00.000Z',
      },
    ],
  },
)
export type Team = Static<typeof Team>

export const TeamCreate = Type.Object(
  { name: Name, description: Type.Optional(nullable(Description, 'What the team does; null for none')) },
  {
    additionalProperties: false,
    description: 'A new team',
    examples: [{ name: 'Sales', description: 'Inbound sales' }],
  },
)
export type TeamCreate = Static<typeof TeamCreate>

export const TeamUpdate = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(nullable(Description, 'What the team does; null clears it')),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'Fields to change',
    examples: [{ name: 'Inside sales' }],
  },
)
export type TeamUpdate = Static<typeof TeamUpdate>

export const TeamListQuery = Type.Object(
  {
    ...PageQuery,
    name: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Case-insensitive substring of the name' }),
    ),
  },
  { additionalProperties: false },
)
export type TeamListQuery = Static<typeof TeamListQuery>

export const TeamList = ListOf(Team)
export const TeamIdParams = IdParams('Team', 'team_01jd3k8m2x7q9v4b6n5t0w1y2z')
