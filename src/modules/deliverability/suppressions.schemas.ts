import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../core/pagination.js'
import { DateTime, EmailAddress } from '../email/email.schema-parts.js'

const SUPPRESSION_ID = 'sup_01jd3k8m2x7q9v4b6n5t0w1y2z'
export const SUPPRESSION_REASONS = ['hard_bounce', 'soft_bounces', 'complaint', 'manual'] as const

export const Suppression = Type.Object(
  {
    id: Type.String({ description: 'Suppression id', examples: [SUPPRESSION_ID] }),
    object: Type.Literal('suppression', { description: 'Always `suppression`' }),
    email: EmailAddress('The suppressed address'),
    reason: Type.Enum(SUPPRESSION_REASONS, {
      description:
        'Why: `hard_bounce` (5.1.x), `soft_bounces` (3 of the last 5 sends by default), `complaint` (reported as spam) or `manual` (added over the API)',
      examples: ['hard_bounce'],
    }),
    evidence: Type.Record(Type.String(), Type.Unknown(), {
      description: 'What decided it: the bounce id, the SMTP reply or report, the counts, or the note given',
      examples: [{ bounce_id: 'bnc_01jd3k8m2x7q9v4b6n5t0w1y2z', smtp_description: '550 5.1.1 no such user' }],
    }),
    created_at: DateTime('When it was suppressed'),
  },
  {
    description:
      'An address no marketing email goes to. Transactional email (POST /api/v1/emails) to it is refused with 422 unless sent with `force: true`',
    examples: [
      {
        id: SUPPRESSION_ID,
        object: 'suppression',
        email: 'jane@example.com',
        reason: 'hard_bounce',
        evidence: { bounce_id: 'bnc_01jd3k8m2x7q9v4b6n5t0w1y2z', smtp_description: '550 5.1.1 no such user' },
        created_at: '2025-01-15T09:30:00.000Z',
      },
    ],
  },
)
export type Suppression = Static<typeof Suppression>

export const SuppressionCreate = Type.Object(
  {
    email: EmailAddress('The address to suppress'),
    note: Type.Optional(
      Type.String({
        maxLength: 1000,
        description: 'Why (kept as the evidence)',
        examples: ['Asked by phone not to be emailed'],
      }),
    ),
  },
  { additionalProperties: false, examples: [{ email: 'jane@example.com', note: 'Asked by phone not to be emailed' }] },
)
export type SuppressionCreate = Static<typeof SuppressionCreate>

export const SuppressionListQuery = Type.Object(
  {
    ...PageQuery,
    reason: Type.Optional(Type.Enum(SUPPRESSION_REASONS, { description: 'Only this reason', examples: ['complaint'] })),
  },
  { additionalProperties: false },
)
export type SuppressionListQuery = Static<typeof SuppressionListQuery>

export const SuppressionList = ListOf(Suppression)
export const SuppressionIdParams = Type.Object({
  id: Type.String({
    maxLength: 320,
    description: 'Suppression id, or the suppressed address itself',
    examples: [SUPPRESSION_ID],
  }),
})
