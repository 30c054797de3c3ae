import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../core/pagination.js'

export const STAGE_KINDS = ['open', 'won', 'lost'] as const
export type StageKind = (typeof STAGE_KINDS)[number]

const PIPELINE_ID_EXAMPLE = 'pl_01jd3k8m2x7q9v4b6n5t0w1y2z'
const STAGE_ID_EXAMPLE = 'st_01jd3k8m2x7q9v4b6n5t0w1y2z'

const Kind = Type.Enum(STAGE_KINDS, {
  description:
    '`open` stages hold deals in progress; a deal moved into the `won` or `lost` stage takes that status. A pipeline has at least one open stage and at most one won and one lost stage',
  examples: ['open'],
})
const StageName = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: '\\S',
  description: 'Stage name, unique within its pipeline (case-insensitive); events name stages by it',
  examples: ['Qualified'],
})
const PipelineName = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: '\\S',
  description: 'Pipeline name, unique within the organization and mode (case-insensitive)',
  examples: ['Enterprise sales'],
})
const RottingDays = Type.Union([Type.Integer({ minimum: 1, maximum: 3650 }), Type.Null()], {
  description:
    'Days without activity after which an open deal in this stage is rotting (the deal board shows it red); null: never',
  examples: [14],
})
const Position = (what: string) =>
  Type.Integer({
    minimum: 0,
    maximum: 10_000,
    description: `Zero-based place of the ${what}; the others shift to make room. A position past the end means last`,
    examples: [1],
  })
const Timestamp = (description: string) =>
  Type.String({ format: 'date-time', description, examples: ['2025-01-15T09:30:00.000Z'] })

export const Stage = Type.Object(
  {
    id: Type.String({ description: 'Stage id', examples: [STAGE_ID_EXAMPLE] }),
    object: Type.Literal('stage', { description: 'Always `stage`' }),
    pipeline_id: Type.String({ description: 'The pipeline the stage belongs to', examples: [PIPELINE_ID_EXAMPLE] }),
    name: StageName,
    position: Type.Integer({ description: 'Zero-based place in the pipeline', examples: [1] }),
    kind: Kind,
    rotting_days: RottingDays,
    created_at: Timestamp('When the stage was created'),
    updated_at: Timestamp('When the stage last changed'),
  },
  { description: 'A step of a pipeline' },
)
export type Stage = Static<typeof Stage>

export const Pipeline = Type.Object(
  {
    id: Type.String({ description: 'Pipeline id', examples: [PIPELINE_ID_EXAMPLE] }),
    object: Type.Literal('pipeline', { description: 'Always `pipeline`' }),
    name: PipelineName,
    position: Type.Integer({ description: 'Zero-based place among the pipelines', examples: [0] }),
    is_default: Type.Boolean({
      description: 'Whether deals created without `pipeline_id` or `stage_id` go to this pipeline; exactly one is',
    }),
    stages: Type.Array(Stage, { description: 'The stages, in order' }),
    created_at: Timestamp('When the pipeline was created'),
    updated_at: Timestamp('When the pipeline or one of its stages last changed'),
  },
  {
    description: 'An ordered list of stages that deals move through',
    examples: [
      {
        id: PIPELINE_ID_EXAMPLE,
        object: 'pipeline',
        name: 'Sales pipeline',
        position: 0,
        is_default: true,
        stages: [
          {
            id: STAGE_ID_EXAMPLE,
            object: 'stage',
            pipeline_id: PIPELINE_ID_EXAMPLE,
            name: 'Lead',
            position: 0,
            kind: 'open',
            rotting_days: 14,
            created_at: '2025-01-15T09:30:00.000Z',
            updated_at: '2025-01-15T09:30:00.000Z',
          },
        ],
        created_at: '2025-01-15T09:30:00.000Z',
        updated_at: '2025-01-15T09:30:00.000Z',
      },
    ],
  },
)
export type Pipeline = Static<typeof Pipeline>

const NewStage = Type.Object(
  { name: StageName, kind: Type.Optional(Kind), rotting_days: Type.Optional(RottingDays) },
  { additionalProperties: false, description: 'A stage of a new pipeline; `kind` defaults to `open`' },
)

export const PipelineCreate = Type.Object(
  {
    name: PipelineName,
    position: Type.Optional(Position('pipeline')),
    is_default: Type.Optional(
      Type.Literal(true, { description: 'Make this the default pipeline (the previous default stops being one)' }),
    ),
    stages: Type.Optional(
      Type.Array(NewStage, {
        minItems: 1,
        maxItems: 50,
        description:
          'The stages in order; at least one open stage. Without it the pipeline gets the standard stages: Lead, Qualified, Proposal, Negotiation, Won, Lost',
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'A new pipeline',
    examples: [
      {
        name: 'Partnerships',
        stages: [
          { name: 'Intro' },
          { name: 'Pilot' },
          { name: 'Signed', kind: 'won' },
          { name: 'Dropped', kind: 'lost' },
        ],
      },
    ],
  },
)
export type PipelineCreate = Static<typeof PipelineCreate>

export const PipelineUpdate = Type.Object(
  {
    name: Type.Optional(PipelineName),
    position: Type.Optional(Position('pipeline')),
    is_default: Type.Optional(
      Type.Literal(true, {
        description: 'Make this the default pipeline; to change the default, set it on the new one',
      }),
    ),
    stage_ids: Type.Optional(
      Type.Array(Type.String({ maxLength: 64 }), {
        uniqueItems: true,
        maxItems: 50,
        description: 'Every stage id of the pipeline, exactly once, in the new order',
        examples: [['st_01jd3k8m2x7q9v4b6n5t0w1y2a', 'st_01jd3k8m2x7q9v4b6n5t0w1y2b']],
      }),
    ),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'Fields to change',
    examples: [{ name: 'Enterprise sales', position: 0 }],
  },
)
export type PipelineUpdate = Static<typeof PipelineUpdate>

export const StageCreate = Type.Object(
  {
    name: StageName,
    kind: Type.Optional(Kind),
    position: Type.Optional(Position('stage')),
    rotting_days: Type.Optional(RottingDays),
  },
  {
    additionalProperties: false,
    description: 'A new stage; added last unless `position` says otherwise',
    examples: [{ name: 'Demo', position: 2, rotting_days: 7 }],
  },
)
export type StageCreate = Static<typeof StageCreate>

export const StageUpdate = Type.Object(
  {
    name: Type.Optional(StageName),
    kind: Type.Optional(Kind),
    position: Type.Optional(Position('stage')),
    rotting_days: Type.Optional(RottingDays),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'Fields to change; `kind` can change only while the stage holds no deals',
    examples: [{ name: 'Discovery', position: 1 }, { rotting_days: 10 }],
  },
)
export type StageUpdate = Static<typeof StageUpdate>

export const PipelineListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })
export type PipelineListQuery = Static<typeof PipelineListQuery>

export const PipelineList = ListOf(Pipeline)
export const PipelineIdParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'Pipeline id', examples: [PIPELINE_ID_EXAMPLE] }),
})
export const StageIdParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'Stage id', examples: [STAGE_ID_EXAMPLE] }),
})
