import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../core/pagination.js'

export const USER_ROLES = ['owner', 'admin', 'member'] as const

const Name = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '\\S',
  description: 'Full name',
  examples: ['Jane Doe'],
})
const Email = Type.String({
  format: 'email',
  maxLength: 254,
  description: 'Work email; unique in the organization, compared case-insensitively',
  examples: ['jane@acme.example'],
})
const Username = Type.String({
  minLength: 2,
  maxLength: 40,
  pattern: '^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$',
  description:
    'Lower-case letters, digits and inner hyphens; unique across the installation (it appears in public booking URLs)',
  examples: ['jane'],
})
const Timezone = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'IANA time zone, used for working hours',
  examples: ['Europe/Paris'],
})
const Role = Type.Enum(USER_ROLES, { description: 'What the user may do in the dashboard', examples: ['member'] })

export const User = Type.Object(
  {
    id: Type.String({ description: 'User id', examples: ['user_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    object: Type.Literal('user', { description: 'Always `user`' }),
    name: Name,
    email: Email,
    username: Username,
    timezone: Timezone,
    role: Role,
    created_at: Type.String({ format: 'date-time', description: 'When the user was added' }),
    updated_at: Type.String({ format: 'date-time', description: 'When the user last changed' }),
  },
  { description: 'A person of the organization: deal owner, task assignee, booking host' },
)
export type User = Static<typeof User>

export const UserCreate = Type.Object(
  {
    name: Name,
    email: Email,
    username: Username,
    timezone: Type.Optional(Type.String({ ...Timezone, description: 'IANA time zone (default UTC)' })),
    role: Type.Optional(Type.Enum(USER_ROLES, { description: 'Role (default member)' })),
  },
  {
    additionalProperties: false,
    examples: [
      { name: 'Jane Doe', email: 'jane@acme.example', username: 'jane', timezone: 'Europe/Paris', role: 'owner' },
    ],
  },
)
export type UserCreate = Static<typeof UserCreate>

export const UserUpdate = Type.Object(
  {
    name: Type.Optional(Name),
    email: Type.Optional(Email),
    username: Type.Optional(Username),
    timezone: Type.Optional(Timezone),
    role: Type.Optional(Role),
  },
  { additionalProperties: false, minProperties: 1, examples: [{ role: 'admin' }] },
)
export type UserUpdate = Static<typeof UserUpdate>

export const UserIdParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'User id', examples: ['user_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
})

export const UserDeleteQuery = Type.Object(
  {
    reassign_to: Type.Optional(
      Type.String({
        maxLength: 64,
        description:
          'Another user of the organization who takes over the removed user’s deals (as owner) and tasks (as assignee), in both modes, each change emitting `deal.updated` / `task.updated`. Without it the deals and tasks stay with no owner or assignee',
        examples: ['user_01jd3k8m2x7q9v4b6n5t0w1y2a'],
      }),
    ),
  },
  { additionalProperties: false },
)
export type UserDeleteQuery = Static<typeof UserDeleteQuery>

export const UserListQuery = Type.Object(
  {
    ...PageQuery,
    role: Type.Optional(Type.Enum(USER_ROLES, { description: 'Only users with this role' })),
    email: Type.Optional(Type.String({ maxLength: 254, description: 'Exact email, case-insensitive' })),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Matches name, email or username' })),
    sort: Type.Optional(
      Type.Enum(['created_at', '-created_at', 'name', '-name'], { description: 'Sort order (default created_at)' }),
    ),
  },
  { additionalProperties: false },
)
export type UserListQuery = Static<typeof UserListQuery>

export const UserList = ListOf(User)
