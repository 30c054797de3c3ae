import Type, { type Static } from 'typebox'

const Switch = (description: string) => Type.Boolean({ description, examples: [true] })

export const EmailSettings = Type.Object(
  {
    object: Type.Literal('email_settings', { description: 'Always `email_settings`' }),
    transport: Type.Enum(['smtp', 'mailbox'], {
      description:
        'Where this installation sends live-mode email: `smtp` (RAPPORT_SMTP_URL is set) or `mailbox` (the development mailbox; nothing leaves the machine)',
      examples: ['mailbox'],
    }),
    booking_emails: Switch(
      'Booking confirmations, cancellations and reschedules to the guest and the host, with the .ics attached',
    ),
    invite_emails: Switch('Team invites sent to the invited address'),
    lead_notification_emails: Switch(
      'A new lead (form response or lead webhook) emailed to the organization’s people who sign in',
    ),
    password_reset_emails: Switch('Password reset links asked for on the sign-in page ("Forgot your password?")'),
    updated_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'When they last changed; null while every message is on by default',
    }),
  },
  {
    description: 'Which of Rapport’s own messages this organization sends. Every one is on until turned off',
    examples: [
      {
        object: 'email_settings',
        transport: 'mailbox',
        booking_emails: true,
        invite_emails: true,
        lead_notification_emails: true,
        password_reset_emails: true,
        updated_at: null,
      },
    ],
  },
)
export type EmailSettings = Static<typeof EmailSettings>

export const EmailSettingsUpdate = Type.Object(
  {
    booking_emails: Type.Optional(Switch('Send booking emails')),
    invite_emails: Type.Optional(Switch('Send invite emails')),
    lead_notification_emails: Type.Optional(Switch('Send lead notification emails')),
    password_reset_emails: Type.Optional(Switch('Send password reset emails')),
  },
  { additionalProperties: false, examples: [{ booking_emails: false }] },
)
export type EmailSettingsUpdate = Static<typeof EmailSettingsUpdate>
export type SystemEmailKind = keyof EmailSettingsUpdate

export const EmailTransportStatus = Type.Object(
  {
    object: Type.Literal('email_transport_status', { description: 'Always `email_transport_status`' }),
    transport: Type.Enum(['smtp', 'mailbox'], {
      description: 'Where this installation sends live-mode email (as `transport` of the settings)',
      examples: ['smtp'],
    }),
    ok: Type.Boolean({
      description:
        'Whether the transport answered now: for `smtp`, the server accepted a connection (and the login, when the URL has one); the development mailbox always does',
      examples: [true],
    }),
    error: Type.Union([Type.String({ description: 'What went wrong' }), Type.Null()], {
      description: 'Why the check failed (the SMTP server’s answer or the network error); null when `ok`',
      examples: [null],
    }),
    duration_ms: Type.Integer({ description: 'How long the check took', examples: [42] }),
    checked_at: Type.String({
      format: 'date-time',
      description: 'When it was checked',
      examples: ['2025-01-15T09:30:00.000Z'],
    }),
  },
  {
    description: 'The result of checking the email transport now (an SMTP connection and login, nothing sent)',
    examples: [
      {
        object: 'email_transport_status',
        transport: 'smtp',
        ok: false,
        error: 'Invalid login: 535 Authentication failed',
        duration_ms: 120,
        checked_at: '2025-01-15T09:30:00.000Z',
      },
    ],
  },
)
export type EmailTransportStatus = Static<typeof EmailTransportStatus>
