import Type, { type Static } from 'typebox'
import { Password, PersonName } from './accounts.schemas.js'

export const ProfileUpdate = Type.Object(
  {
    name: Type.Optional(PersonName),
    password: Type.Optional(Password),
    current_password: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'The present password; required with `password`' }),
    ),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'The signed-in person’s own name, or a new password (with the present one)',
    examples: [
      { name: 'Sam Lee' },
      { current_password: 'correct horse battery staple', password: 'a longer better passphrase' },
    ],
  },
)
export type ProfileUpdate = Static<typeof ProfileUpdate>

export const Profile = Type.Object(
  {
    id: Type.String({ description: 'User id', examples: ['user_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    object: Type.Literal('profile', { description: 'Always `profile`' }),
    name: PersonName,
    email: Type.String({ description: 'Sign-in email', examples: ['sam@acme.example'] }),
    role: Type.Enum(['owner', 'admin', 'member'], { description: 'Role in the organization', examples: ['member'] }),
    password_changed: Type.Boolean({
      description: 'Whether this request changed the password (the person’s other sessions are then signed out)',
    }),
  },
  { description: 'The signed-in person' },
)
export type Profile = Static<typeof Profile>

export const OrganizationUpdate = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 200,
      pattern: '\\S',
      description: 'Organization name, as the dashboard and emails show it',
      examples: ['Acme Sales'],
    }),
  },
  { additionalProperties: false, examples: [{ name: 'Acme Sales' }] },
)
export type OrganizationUpdate = Static<typeof OrganizationUpdate>

export const Organization = Type.Object(
  {
    id: Type.String({ description: 'Organization id', examples: ['org_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    object: Type.Literal('organization', { description: 'Always `organization`' }),
    name: OrganizationUpdate.properties.name,
  },
  { description: 'The caller’s organization' },
)
export type Organization = Static<typeof Organization>
