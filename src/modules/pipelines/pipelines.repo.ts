import { sql } from 'kysely'
import { type PageParams, paginate } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'
import { scoped, scopedDelete, scopedUpdate } from '../../db/scoped.js'
import { newId } from '../../lib/ids.js'
import type { StageKind } from './pipelines.schemas.js'

export interface PipelineRow {
  id: string
  name: string
  position: number
  is_default: boolean
  created_at: Date
  updated_at: Date
}

export interface StageRow {
  id: string
  pipeline_id: string
  name: string
  position: number
  kind: StageKind
  rotting_days: number | null
  created_at: Date
  updated_at: Date
}

const PIPELINE_COLUMNS = ['id', 'name', 'position', 'is_default', 'created_at', 'updated_at'] as const
const STAGE_COLUMNS = [
  'id',
  'pipeline_id',
  'name',
  'position',
  'kind',
  'rotting_days',
  'created_at',
  'updated_at',
] as const

export const DEFAULT_PIPELINE_NAME = 'Sales pipeline'
export const DEFAULT_STAGES: readonly { name: string; kind: StageKind }[] = [
  { name: 'Lead', kind: 'open' },
  { name: 'Qualified', kind: 'open' },
  { name: 'Proposal', kind: 'open' },
  { name: 'Negotiation', kind: 'open' },
  { name: 'Won', kind: 'won' },
  { name: 'Lost', kind: 'lost' },
]

/**
 * Creates the default pipeline of an organization's mode with the standard stages, unless the mode
 * already has a default. One statement guarded by the partial unique index `pipelines_one_default`:
 * two concurrent calls create one pipeline (the second waits for the first and then does nothing).
 */
export async function insertDefaultPipeline(db: Executor, scope: TenantScope): Promise<void> {
  const stageIds = DEFAULT_STAGES.map(() => newId('stage'))
  await sql`
    with pipeline as (
      insert into pipelines (id, org_id, livemode, name, position, is_default)
      values (${newId('pipeline')}, ${scope.orgId}, ${scope.livemode}, ${DEFAULT_PIPELINE_NAME}, 0, true)
      on conflict (org_id, livemode) where is_default do nothing
      returning id
    )
    insert into stages (id, org_id, livemode, pipeline_id, name, position, kind)
    select s.id, ${scope.orgId}, ${scope.livemode}, pipeline.id, s.name, s.position, s.kind
    from pipeline, unnest(${stageIds}::text[], ${DEFAULT_STAGES.map((s) => s.name)}::text[],
      ${DEFAULT_STAGES.map((_, i) => i)}::int[], ${DEFAULT_STAGES.map((s) => s.kind)}::text[]) as s(id, name, position, kind)`.execute(
    db,
  )
}

export async function findDefaultPipelineId(db: Executor, scope: TenantScope): Promise<string | undefined> {
  const row = await scoped(db, 'pipelines', scope).select('id').where('is_default', '=', true).executeTakeFirst()
  return row?.id
}

/**
 * Serializes the changes to one organization mode's pipelines and stages (positions, the default,
 * the won/lost stages), until the transaction ends. Readers never wait on it.
 */
export async function lockPipelines(tx: Executor, scope: TenantScope): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`pipelines:${scope.orgId}:${scope.livemode}`}, 0))`.execute(
    tx,
  )
}

export async function findPipeline(db: Executor, scope: TenantScope, id: string): Promise<PipelineRow | undefined> {
  return scoped(db, 'pipelines', scope).select(PIPELINE_COLUMNS).where('id', '=', id).executeTakeFirst()
}

/** The pipelines of a mode in list order (few per organization: reorders rewrite them all). */
export async function listAllPipelines(db: Executor, scope: TenantScope): Promise<PipelineRow[]> {
  return scoped(db, 'pipelines', scope).select(PIPELINE_COLUMNS).orderBy('position').orderBy('id').execute()
}

export async function listPipelines(db: Executor, scope: TenantScope, page: PageParams) {
  const base = scoped(db, 'pipelines', scope)
  // Positions are small non-negative integers: zero-padded text sorts (and pages by cursor) like them.
  const expression = sql`(lpad(position::text, 10, '0') collate "C")`
  return paginate(
    base,
    (qb) => qb.select(PIPELINE_COLUMNS),
    sql<string>`id`,
    { name: 'position', expression, castTo: 'text', descending: false },
    page,
  )
}

/** The stages of the given pipelines, in pipeline order. */
export async function listStages(db: Executor, scope: TenantScope, pipelineIds: string[]): Promise<StageRow[]> {
  if (pipelineIds.length === 0) return []
  return scoped(db, 'stages', scope)
    .select(STAGE_COLUMNS)
    .where('pipeline_id', 'in', pipelineIds)
    .orderBy('position')
    .orderBy('id')
    .execute()
}

export async function findStage(
  db: Executor,
  scope: TenantScope,
  id: string,
  opts: { lock?: 'share' } = {},
): Promise<StageRow | undefined> {
  let q = scoped(db, 'stages', scope).select(STAGE_COLUMNS).where('id', '=', id)
  if (opts.lock === 'share') q = q.forShare()
  return q.executeTakeFirst()
}

export async function insertPipeline(
  db: Executor,
  scope: TenantScope,
  values: { name: string; position: number },
): Promise<PipelineRow> {
  return db
    .insertInto('pipelines')
    .values({ id: newId('pipeline'), org_id: scope.orgId, livemode: scope.livemode, ...values, is_default: false })
    .returning(PIPELINE_COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function insertStages(
  db: Executor,
  scope: TenantScope,
  pipelineId: string,
  stages: { name: string; kind: StageKind; position: number; rotting_days?: number | null }[],
): Promise<StageRow[]> {
  return db
    .insertInto('stages')
    .values(
      stages.map((s) => ({
        id: newId('stage'),
        org_id: scope.orgId,
        livemode: scope.livemode,
        pipeline_id: pipelineId,
        ...s,
      })),
    )
    .returning(STAGE_COLUMNS)
    .execute()
}

const bumpUpdatedAt = sql<Date>`greatest(now(), updated_at + interval '1 microsecond')`

export async function updatePipeline(
  db: Executor,
  scope: TenantScope,
  id: string,
  values: { name?: string; is_default?: boolean },
): Promise<void> {
  await scopedUpdate(db, 'pipelines', scope)
    .set({ ...values, updated_at: bumpUpdatedAt })
    .where('id', '=', id)
    .execute()
}

export async function clearDefaultPipeline(db: Executor, scope: TenantScope): Promise<void> {
  await scopedUpdate(db, 'pipelines', scope)
    .set({ is_default: false, updated_at: bumpUpdatedAt })
    .where('is_default', '=', true)
    .execute()
}

export async function updateStage(
  db: Executor,
  scope: TenantScope,
  id: string,
  values: { name?: string; kind?: StageKind; rotting_days?: number | null },
): Promise<void> {
  await scopedUpdate(db, 'stages', scope)
    .set({ ...values, updated_at: bumpUpdatedAt })
    .where('id', '=', id)
    .execute()
}

/** Gives `orderedIds` the positions 0, 1, 2…; only rows whose position changes are touched. */
export async function setPositions(
  db: Executor,
  table: 'pipelines' | 'stages',
  scope: TenantScope,
  orderedIds: string[],
): Promise<void> {
  if (orderedIds.length === 0) return
  await sql`update ${sql.table(table)} t
    set position = u.position, updated_at = greatest(now(), t.updated_at + interval '1 microsecond')
    from unnest(${orderedIds}::text[], ${orderedIds.map((_, i) => i)}::int[]) as u(id, position)
    where t.org_id = ${scope.orgId} and t.livemode = ${scope.livemode} and t.id = u.id and t.position <> u.position`.execute(
    db,
  )
}

export async function deletePipeline(db: Executor, scope: TenantScope, id: string): Promise<void> {
  await scopedDelete(db, 'pipelines', scope).where('id', '=', id).execute()
}

export async function deleteStage(db: Executor, scope: TenantScope, id: string): Promise<void> {
  await scopedDelete(db, 'stages', scope).where('id', '=', id).execute()
}

/** Whether any deal sits in the stage (or, with `pipelineId`, anywhere in the pipeline). */
export async function holdsDeals(db: Executor, where: { stageId: string } | { pipelineId: string }): Promise<boolean> {
  const q = db.selectFrom('deals').select(sql`1`.as('one'))
  const row = await ('stageId' in where
    ? q.where('stage_id', '=', where.stageId)
    : q.where('pipeline_id', '=', where.pipelineId)
  )
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}
