import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../core/pagination.js'
import { PLANS } from '../../core/tenancy.js'
import { DateTime } from '../leads/schema-parts.js'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.js'

export const Email = Type.String({
  format: 'email',
  maxLength: 254,
  description: 'Email address, compared case-insensitively',
  examples: ['jane@acme.example'],
})
export const Password = Type.String({
  minLength: PASSWORD_MIN_LENGTH,
  maxLength: PASSWORD_MAX_LENGTH,
  description: `Password, ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`,
  examples: ['correct horse battery staple'],
})
export const PersonName = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '\\S',
  description: 'Full name',
  examples: ['Jane Doe'],
})
const InviteRole = Type.Enum(['owner', 'admin', 'member'], {
  description:
    '`owner`: everything, changing owners included (only an owner invites one); `admin`: everything but owners, API keys and webhooks included; `member`: the CRM data only. Never more than the inviter holds',
  examples: ['member'],
})

export const SessionView = Type.Object(
  {
    object: Type.Literal('session', { description: 'Always `session`' }),
    user: Type.Object(
      {
        id: Type.String({ description: 'User id', examples: ['user_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
        name: PersonName,
        email: Email,
        role: Type.Enum(['owner', 'admin', 'member'], { description: 'The user’s role in the organization' }),
      },
      { description: 'The signed-in user' },
    ),
    organization: Type.Object(
      {
        id: Type.String({ description: 'Organization id', examples: ['org_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
        name: Type.String({ description: 'Organization name', examples: ['Acme'] }),
        plan: Type.Enum([...PLANS], { description: 'The organization’s plan' }),
      },
      { description: 'The organization the user belongs to' },
    ),
    csrf_token: Type.String({
      description: 'Send it as `X-CSRF-Token` on every POST, PUT, PATCH and DELETE made with this session',
      examples: ['8fQk2LrT0aVb5nXc1yZe3w'],
    }),
    expires_at: DateTime('When the session ends (sign in again then)'),
  },
  {
    description: 'A dashboard sign-in; its token travels in the HttpOnly `rapport_session` cookie',
    examples: [
      {
        object: 'session',
        user: { id: 'user_01jd3k8m2x7q9v4b6n5t0w1y2z', name: 'Jane Doe', email: 'jane@acme.example', role: 'owner' },
        organization: { id: 'org_01jd3k8m2x7q9v4b6n5t0w1y2z', name: 'Acme', plan: 'teams' },
        csrf_token: '8fQk2LrT0aVb5nXc1yZe3w',
        expires_at: '2025-01-22T09:30:00.000Z',
      },
    ],
  },
)
export type SessionView = Static<typeof SessionView>

export const SetupState = Type.Object(
  {
    setup_required: Type.Boolean({ description: 'True while no organization exists: the dashboard offers setup' }),
    signup_enabled: Type.Boolean({ description: 'True when the operator lets anyone create an organization' }),
  },
  { description: 'Whether this installation can be set up from the dashboard' },
)

export const SetupInput = Type.Object(
  {
    organization_name: Type.String({
      minLength: 1,
      maxLength: 200,
      pattern: '\\S',
      description: 'Organization name',
      examples: ['Acme'],
    }),
    name: PersonName,
    email: Email,
    password: Password,
  },
  {
    additionalProperties: false,
    description: 'The first organization and its owner',
    examples: [
      {
        organization_name: 'Acme',
        name: 'Jane Doe',
        email: 'jane@acme.example',
        password: 'correct horse battery staple',
      },
    ],
  },
)
export type SetupInput = Static<typeof SetupInput>

export const LoginInput = Type.Object(
  { email: Email, password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH, description: 'Password' }) },
  {
    additionalProperties: false,
    description: 'Credentials',
    examples: [{ email: 'jane@acme.example', password: 'correct horse battery staple' }],
  },
)
export type LoginInput = Static<typeof LoginInput>

export const Invite = Type.Object(
  {
    id: Type.String({ description: 'Invite id', examples: ['ivt_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    object: Type.Literal('invite', { description: 'Always `invite`' }),
    email: Email,
    role: InviteRole,
    status: Type.Enum(['pending', 'accepted', 'expired', 'revoked'], { description: 'Where the invite stands' }),
    invited_by: Type.Union([Type.String(), Type.Null()], {
      description:
        'The person who invited: the signed-in user, or the user who created the API key used; null for an operator key',
    }),
    created_at: DateTime('When the invite was made'),
    expires_at: DateTime('When the link stops working'),
    accept_url: Type.Optional(
      Type.String({
        description:
          'The single-use link to send to the invitee, only in the answer to the creation. Only the invitee can use it: nobody signed in to the organization, the inviter included, can accept it',
        examples: ['https://crm.acme.example/app/invite#token=Zb3k9Qw1'],
      }),
    ),
  },
  {
    description: 'An invitation to join the organization',
    examples: [
      {
        id: 'ivt_01jd3k8m2x7q9v4b6n5t0w1y2z',
        object: 'invite',
        email: 'sam@acme.example',
        role: 'member',
        status: 'pending',
        invited_by: 'user_01jd3k8m2x7q9v4b6n5t0w1y2z',
        created_at: '2025-01-15T09:30:00.000Z',
        expires_at: '2025-01-18T09:30:00.000Z',
      },
    ],
  },
)
export type Invite = Static<typeof Invite>

export const InviteCreate = Type.Object(
  { email: Email, role: InviteRole },
  {
    additionalProperties: false,
    description: 'Who to invite, and as what',
    examples: [{ email: 'sam@acme.example', role: 'member' }],
  },
)
export type InviteCreate = Static<typeof InviteCreate>

export const InviteList = ListOf(Invite)
export const InviteListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(
      Type.Enum(['pending', 'accepted', 'expired', 'revoked', 'all'], {
        description: 'Only invites in this state; `pending` (usable links) when omitted, `all` for every state',
        examples: ['pending'],
      }),
    ),
  },
  { additionalProperties: false },
)
export type InviteListQuery = Static<typeof InviteListQuery>

export const InvitePreview = Type.Object(
  {
    email: Email,
    role: InviteRole,
    organization: Type.Object(
      { name: Type.String({ description: 'Organization name', examples: ['Acme'] }) },
      { description: 'The organization the invite is for' },
    ),
    expires_at: DateTime('When the link stops working'),
  },
  { description: 'What an invite link offers, shown before it is accepted' },
)

export const InviteTokenQuery = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200, description: 'The token of the invite link' }) },
  { additionalProperties: false },
)

export const InviteAccept = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 200, description: 'The token of the invite link' }),
    name: PersonName,
    password: Password,
  },
  {
    additionalProperties: false,
    description: 'Accepting an invite: the new member’s name and password',
    examples: [{ token: 'Zb3k9Qw1', name: 'Sam Lee', password: 'correct horse battery staple' }],
  },
)
export type InviteAccept = Static<typeof InviteAccept>
