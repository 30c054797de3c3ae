import Type, { type Static } from 'typebox'
import { DateTime } from '../leads/schema-parts.js'
import { Email, Password, PersonName } from './accounts.schemas.js'

const Purpose = Type.Enum(['activate', 'reset_password'], {
  description: '`activate`: a new user sets a first password; `reset_password`: a user chooses a new one',
  examples: ['activate'],
})
const Role = Type.Enum(['owner', 'admin', 'member'], {
  description: '`owner`: everything, owners included; `admin`: everything but owners; `member`: the CRM data only',
  examples: ['owner'],
})
const Token = Type.String({
  minLength: 1,
  maxLength: 200,
  description: 'The token of the link (after `#token=`)',
  examples: ['Zb3k9Qw1'],
})

export const SignInLink = Type.Object(
  {
    object: Type.Literal('sign_in_link', { description: 'Always `sign_in_link`' }),
    purpose: Purpose,
    url: Type.String({
      description:
        'The single-use link, shown only this once; built from `RAPPORT_PUBLIC_URL` (else the listen address). Opening it lets the user set a password and signs them in.',
      examples: ['https://crm.example.com/app/sign-in-link#token=Zb3k9Qw1'],
    }),
    expires_at: DateTime('When the link stops working'),
    user: Type.Object(
      {
        id: Type.String({ description: 'User id', examples: ['user_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
        org_id: Type.String({ description: 'Organization id', examples: ['org_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
        email: Email,
        name: PersonName,
        role: Role,
      },
      { description: 'The user the link signs in' },
    ),
  },
  { description: 'A single-use link that lets one user set a password and sign in' },
)
export type SignInLink = Static<typeof SignInLink>

export const OwnerInput = Type.Object(
  { email: Email, name: PersonName },
  {
    additionalProperties: false,
    description: 'The owner to create with the organization: the answer carries their single-use sign-in link',
    examples: [{ email: 'jane@acme.example', name: 'Jane Doe' }],
  },
)

export const SignInLinkPreview = Type.Object(
  {
    object: Type.Literal('sign_in_link_preview', { description: 'Always `sign_in_link_preview`' }),
    purpose: Purpose,
    email: Email,
    name: PersonName,
    organization: Type.Object(
      { name: Type.String({ description: 'Organization name', examples: ['Acme'] }) },
      { description: 'The organization the user signs in to' },
    ),
    expires_at: DateTime('When the link stops working'),
  },
  { description: 'Who a usable link signs in, shown before the password is chosen' },
)
export type SignInLinkPreview = Static<typeof SignInLinkPreview>

export const SignInLinkTokenQuery = Type.Object({ token: Token }, { additionalProperties: false })

export const SignInLinkRedeem = Type.Object(
  {
    token: Token,
    password: Password,
    name: Type.Optional({ ...PersonName, description: 'A new full name; omitted: the name stays' }),
  },
  {
    additionalProperties: false,
    description: 'Using a sign-in link: the new password (and optionally the name)',
    examples: [{ token: 'Zb3k9Qw1', password: 'correct horse battery staple' }],
  },
)
export type SignInLinkRedeem = Static<typeof SignInLinkRedeem>

/** The operator's `rapport user invite`. */
export const UserInvite = Type.Object(
  {
    org: Type.String({ minLength: 1, maxLength: 64, description: 'Organization id' }),
    email: Email,
    name: Type.Optional(PersonName),
    role: Type.Optional(Role),
  },
  { additionalProperties: false },
)
export type UserInvite = Static<typeof UserInvite>

export const PasswordReset = Type.Object({ email: Email }, { additionalProperties: false })
