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
