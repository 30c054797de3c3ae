import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../core/pagination.js'

export const DEAL_STATUSES = ['open', 'won', 'lost'] as const
export type DealStatus = (typeof DEAL_STATUSES)[number]

const DEAL_ID = 'd_01jd3k8m2x7q9v4b6n5t0w1y2z'
const PIPELINE_ID = 'pl_01jd3k8m2x7q9v4b6n5t0w1y2z'
const STAGE_ID = 'st_01jd3k8m2x7q9v4b6n5t0w1y2z'
const CONTACT_ID = 'c_01jd3k8m2x7q9v4b6n5t0w1y2z'
const USER_ID = 'user_01jd3k8m2x7q9v4b6n5t0w1y2z'

const Status = Type.Enum(DEAL_STATUSES, {
  description:
    '`open`, `won` or `lost`. It follows the stage: a deal in the won (lost) stage is won (lost). Setting `won` or `lost` moves the deal into the pipeline’s won or lost stage when it has one; setting `open` on a closed deal moves it to the last open stage',
  examples: ['open'],
})
const Title = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '\\S',
  description: 'What is being sold',
  examples: ['Enterprise plan'],
})
const AmountIn = Type.Union(
  [
    Type.Number({ minimum: 0, description: 'A JSON number', examples: [1200.5] }),
    Type.String({ maxLength: 40, description: 'A decimal string, exact', examples: ['1200.50'] }),
  ],
  {
    description:
      'Amount in the deal’s currency, as a JSON number or a decimal string; at most as many decimals as the currency has (2 for USD, 0 for JPY)',
    examples: ['1200.50'],
  },
)
const Currency = Type.String({
  pattern: '^[A-Za-z]{3}$',
  description: 'ISO 4217 currency code; defaults to the organization’s currency',
  examples: ['USD'],
})
const ExpectedCloseDate = Type.String({
  format: 'date',
  description: 'When the deal is expected to close (calendar date)',
  examples: ['2025-03-31'],
})
const LostReason = Type.String({
  minLength: 1,
  maxLength: 500,
  description: 'Why the deal was lost; only a lost deal has one',
  examples: ['Went with a competitor'],
})
const WonReason = Type.String({
  minLength: 1,
  maxLength: 500,
  description: 'Why the deal was won; only a won deal has one',
  examples: ['Best fit for their workflow'],
})
const ClosedAt = Type.String({
  format: 'date-time',
  description:
    'When the deal was won or lost (with `status` won/lost or a move into a won/lost stage); defaults to now. Sets `won_at` or `lost_at`',
  examples: ['2025-03-28T16:00:00.000Z'],
})
const Id = (description: string, example: string) => Type.String({ maxLength: 64, description, examples: [example] })
const Nullable = <T extends ReturnType<typeof Type.String>>(s: T, description: string) =>
  Type.Union([s, Type.Null()], { description })
const Timestamp = (description: string) =>
  Type.String({ format: 'date-time', description, examples: ['2025-01-15T09:30:00.000Z'] })

export const Deal = Type.Object(
  {
    id: Type.String({ description: 'Deal id', examples: [DEAL_ID] }),
    object: Type.Literal('deal', { description: 'Always `deal`' }),
    title: Title,
    value: Type.String({
      description: 'Exact amount, formatted to the currency’s minor digits ("1200.00"; JPY "1200")',
      examples: ['1200.00'],
    }),
    currency: Type.String({ description: 'ISO 4217 currency code', examples: ['USD'] }),
    pipeline_id: Id('The pipeline the deal is in', PIPELINE_ID),
    stage_id: Id('The stage the deal is in', STAGE_ID),
    stage: Type.String({ description: 'Name of the stage, for convenience', examples: ['Qualified'] }),
    status: Status,
    contact_id: Nullable(Id('The linked contact', CONTACT_ID), 'The linked contact; null when none (or deleted)'),
    owner_id: Nullable(Id('The user who owns the deal', USER_ID), 'The user who owns the deal; null when none'),
    expected_close_date: Nullable(ExpectedCloseDate, 'When the deal is expected to close; null if unknown'),
    lost_reason: Nullable(LostReason, 'Why the deal was lost; null unless lost'),
    won_reason: Nullable(WonReason, 'Why the deal was won; null unless won'),
    won_at: Type.Union([Timestamp('When the deal was won'), Type.Null()], {
      description: 'When the deal was won; null unless won',
    }),
    lost_at: Type.Union([Timestamp('When the deal was lost'), Type.Null()], {
      description: 'When the deal was lost; null unless lost',
    }),
    created_at: Timestamp('When the deal was created'),
    updated_at: Timestamp('When the deal last changed'),
    last_activity_at: Timestamp(
      'The latest of: the deal’s last change, its latest activity, note, or completed task (read-only)',
    ),
    rotting: Type.Boolean({
      description:
        'True when the deal is open and has had no activity for more than its stage’s `rotting_days` (read-only)',
      examples: [false],
    }),
  },
  {
    description: 'A sales opportunity moving through a pipeline',
    examples: [
      {
        id: DEAL_ID,
        object: 'deal',
        title: 'Enterprise plan',
        value: '12000.00',
        currency: 'USD',
        pipeline_id: PIPELINE_ID,
        stage_id: STAGE_ID,
        stage: 'Qualified',
        status: 'open',
        contact_id: CONTACT_ID,
        owner_id: null,
        expected_close_date: '2025-03-31',
        lost_reason: null,
        won_reason: null,
        won_at: null,
        lost_at: null,
        created_at: '2025-01-15T09:30:00.000Z',
        updated_at: '2025-01-15T09:30:00.000Z',
        last_activity_at: '2025-01-15T09:30:00.000Z',
        rotting: false,
      },
    ],
  },
)
export type Deal = Static<typeof Deal>

/** A stage given by its name, as clients of other CRMs send it. */
const StageName = Type.String({
  minLength: 1,
  maxLength: 100,
  description:
    'The stage by its name instead of `stage_id`, without regard to case, in the deal’s pipeline (`pipeline_id` if sent, else the deal’s, else the default pipeline). An unknown name is a 422 listing the pipeline’s stage names',
  examples: ['Qualified'],
})

export const DealCreate = Type.Object(
  {
    title: Title,
    value: Type.Optional(AmountIn),
    currency: Type.Optional(Currency),
    pipeline_id: Type.Optional(
      Id('Pipeline; without it (and without stage_id) the default pipeline is used', PIPELINE_ID),
    ),
    stage_id: Type.Optional(
      Id('Stage; it implies its pipeline. Without it, the pipeline’s first open stage is used', STAGE_ID),
    ),
    stage: Type.Optional(StageName),
    status: Type.Optional(Status),
    contact_id: Type.Optional(Id('A contact of the same organization and mode', CONTACT_ID)),
    owner_id: Type.Optional(Id('A user of the organization', USER_ID)),
    expected_close_date: Type.Optional(ExpectedCloseDate),
    lost_reason: Type.Optional(LostReason),
  },
  {
    additionalProperties: false,
    description: 'A new deal: only the title is required',
    examples: [
      { title: 'Enterprise plan', value: '12000', contact_id: CONTACT_ID, expected_close_date: '2025-03-31' },
      { title: 'Website redesign', value: '5000', stage: 'Qualified' },
    ],
  },
)
export type DealCreate = Static<typeof DealCreate>

export const DealUpdate = Type.Object(
  {
    title: Type.Optional(Title),
    value: Type.Optional(AmountIn),
    currency: Type.Optional(Currency),
    pipeline_id: Type.Optional(
      Id(
        'Move to another pipeline: to `stage_id` if given (it must belong to this pipeline), else to its stage matching the deal’s status',
        PIPELINE_ID,
      ),
    ),
    stage_id: Type.Optional(
      Id('Move to this stage of the deal’s pipeline (another pipeline’s stage needs `pipeline_id` too)', STAGE_ID),
    ),
    stage: Type.Optional(StageName),
    status: Type.Optional(Status),
    contact_id: Type.Optional(
      Nullable(Id('A contact', CONTACT_ID), 'A contact of the same organization and mode; null unlinks'),
    ),
    owner_id: Type.Optional(Nullable(Id('A user', USER_ID), 'A user of the organization; null clears')),
    expected_close_date: Type.Optional(Nullable(ExpectedCloseDate, 'Expected close date; null clears')),
    lost_reason: Type.Optional(Nullable(LostReason, 'Why the deal was lost (lost deals only); null clears')),
    won_reason: Type.Optional(Nullable(WonReason, 'Why the deal was won (won deals only); null clears')),
    closed_at: Type.Optional(ClosedAt),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'Fields to change; null clears an optional field',
    examples: [
      { stage_id: STAGE_ID },
      { stage: 'proposal' },
      { status: 'lost', lost_reason: 'Went with a competitor' },
      { stage_id: STAGE_ID, won_reason: 'Best fit for their workflow', closed_at: '2025-03-28T16:00:00.000Z' },
    ],
  },
)
export type DealUpdate = Static<typeof DealUpdate>

export const DEAL_SORTS = [
  'created_at',
  '-created_at',
  'updated_at',
  '-updated_at',
  'value',
  '-value',
  'expected_close_date',
  '-expected_close_date',
  'title',
  '-title',
] as const

const DecimalQuery = (description: string) =>
  Type.String({ pattern: '^\\d{1,16}(\\.\\d{1,4})?$', description, examples: ['1000'] })
const DateQuery = (description: string) => Type.String({ format: 'date', description, examples: ['2025-03-31'] })
const InstantQuery = (description: string) =>
  Type.String({ format: 'date-time', description, examples: ['2025-01-01T00:00:00Z'] })

export const DealListQuery = Type.Object(
  {
    ...PageQuery,
    pipeline_id: Type.Optional(Id('Deals in this pipeline', PIPELINE_ID)),
    stage_id: Type.Optional(Id('Deals in this stage', STAGE_ID)),
    status: Type.Optional(Status),
    contact_id: Type.Optional(Id('Deals linked to this contact', CONTACT_ID)),
    owner_id: Type.Optional(Id('Deals owned by this user', USER_ID)),
    currency: Type.Optional(Currency),
    value_gte: Type.Optional(DecimalQuery('Value at least this amount (compared as numbers, whatever the currency)')),
    value_lte: Type.Optional(DecimalQuery('Value at most this amount')),
    created_after: Type.Optional(InstantQuery('Created at or after this instant')),
    created_before: Type.Optional(InstantQuery('Created before this instant')),
    expected_close_after: Type.Optional(DateQuery('Expected to close on or after this date')),
    expected_close_before: Type.Optional(DateQuery('Expected to close on or before this date')),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Case-insensitive substring of the title',
        examples: ['enterprise'],
      }),
    ),
    sort: Type.Optional(
      Type.Enum([...DEAL_SORTS], {
        default: '-created_at',
        description:
          'Sort field; a leading `-` sorts descending. Deals without an expected close date sort last; titles sort case-insensitively',
        examples: ['-value'],
      }),
    ),
  },
  { additionalProperties: false },
)
export type DealListQuery = Static<typeof DealListQuery>

export const DealList = ListOf(Deal)
export const DealIdParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'Deal id', examples: [DEAL_ID] }),
})
