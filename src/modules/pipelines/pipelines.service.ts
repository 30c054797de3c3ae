import { ApiError, invalidField } from '../../core/errors.js'
import type { PageParams } from '../../core/pagination.js'
import { assertIfMatch } from '../../core/preconditions.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Db, Executor } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import {
  clearDefaultPipeline,
  DEFAULT_STAGES,
  deletePipeline,
  deleteStage,
  findDefaultPipelineId,
  findPipeline,
  findStage,
  holdsDeals,
  insertDefaultPipeline,
  insertPipeline,
  insertStages,
  listAllPipelines,
  listPipelines,
  listStages,
  lockPipelines,
  type PipelineRow,
  type StageRow,
  setPositions,
  updatePipeline,
  updateStage,
} from './pipelines.repo.js'
import type {
  Pipeline,
  PipelineCreate,
  PipelineUpdate,
  Stage,
  StageCreate,
  StageKind,
  StageUpdate,
} from './pipelines.schemas.js'

export function toStage(row: StageRow): Stage {
  return {
    id: row.id,
    object: 'stage',
    pipeline_id: row.pipeline_id,
    name: row.name,
    position: row.position,
    kind: row.kind,
    rotting_days: row.rotting_days,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }
}

export function toPipeline(row: PipelineRow, stages: StageRow[]): Pipeline {
  return {
    id: row.id,
    object: 'pipeline',
    name: row.name,
    position: row.position,
    is_default: row.is_default,
    stages: stages.filter((s) => s.pipeline_id === row.id).map(toStage),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }
}

/**
 * The id of the mode's default pipeline, created with the standard stages if the organization
 * predates pipelines. Idempotent and safe under concurrency (see `insertDefaultPipeline`).
 */
export async function ensureDefaultPipeline(db: Executor, scope: TenantScope): Promise<string> {
  const existing = await findDefaultPipelineId(db, scope)
  if (existing) return existing
  await insertDefaultPipeline(db, scope)
  const created = await findDefaultPipelineId(db, scope)
  if (!created) throw new Error(`No default pipeline for ${scope.orgId} after creating it`)
  return created
}

/** `ids` with `id` moved to `position` (clamped to the end). */
function moveTo(ids: string[], id: string, position: number): string[] {
  const rest = ids.filter((x) => x !== id)
  rest.splice(Math.min(position, rest.length), 0, id)
  return rest
}

/** Unique-index violations become the 409 a client can act on. */
function asConflict(err: unknown): never {
  const e = err as { code?: string; constraint?: string }
  if (e?.code === '23505' && e.constraint === 'pipelines_name') {
    throw new ApiError('already_exists', 'A pipeline with this name already exists', {
      details: [{ field: 'name', message: 'Already used by another pipeline' }],
    })
  }
  if (e?.code === '23505' && e.constraint === 'stages_name') {
    throw new ApiError('already_exists', 'The pipeline already has a stage with this name', {
      details: [{ field: 'name', message: 'Already used by another stage of the pipeline' }],
    })
  }
  // A deal slipped into the stage or pipeline between the check and the delete.
  if (e?.code === '23503') throw new ApiError('conflict', 'The stage or pipeline still holds deals')
  throw err
}

export class PipelinesService {
  constructor(private readonly db: Db) {}

  async list(scope: TenantScope, query: PageParams) {
    await ensureDefaultPipeline(this.db, scope)
    const page = await listPipelines(this.db, scope, query)
    const stages = await listStages(
      this.db,
      scope,
      page.data.map((p) => p.id),
    )
    return { ...page, data: page.data.map((p) => toPipeline(p, stages)) }
  }

  async get(scope: TenantScope, id: string): Promise<Pipeline> {
    return this.load(this.db, scope, id)
  }

  private async load(db: Executor, scope: TenantScope, id: string): Promise<Pipeline> {
    const row = await findPipeline(db, scope, id)
    if (!row) throw pipelineNotFound(id)
    return toPipeline(row, await listStages(db, scope, [id]))
  }

  /** Creates a pipeline (with the standard stages unless given), placed last unless `position` says otherwise. */
  async create(scope: TenantScope, input: PipelineCreate): Promise<Pipeline> {
    const stages =
      input.stages?.map((s) => ({
        name: s.name.trim(),
        kind: s.kind ?? 'open',
        rotting_days: s.rotting_days ?? null,
      })) ?? DEFAULT_STAGES.map((s) => ({ ...s, rotting_days: null }))
    assertStageSet(stages)
    return inTransaction(this.db, async (tx) => {
      await ensureDefaultPipeline(tx, scope)
      await lockPipelines(tx, scope)
      const others = await listAllPipelines(tx, scope)
      const row = await insertPipeline(tx, scope, { name: input.name.trim(), position: others.length })
      await insertStages(
        tx,
        scope,
        row.id,
        stages.map((s, position) => ({ ...s, position })),
      )
      const ids = [...others.map((p) => p.id), row.id]
      if (input.position !== undefined) await setPositions(tx, 'pipelines', scope, moveTo(ids, row.id, input.position))
      if (input.is_default) {
        await clearDefaultPipeline(tx, scope)
        await updatePipeline(tx, scope, row.id, { is_default: true })
      }
      return this.load(tx, scope, row.id)
    }).catch(asConflict)
  }

  /** Renames, moves, makes default or reorders the stages of a pipeline; If-Match is checked under the lock. */
  async update(
    scope: TenantScope,
    id: string,
    input: PipelineUpdate,
    opts: { ifMatch?: string } = {},
  ): Promise<Pipeline> {
    return inTransaction(this.db, async (tx) => {
      await lockPipelines(tx, scope)
      const current = await this.load(tx, scope, id)
      assertIfMatch(opts.ifMatch, current)
      if (input.name !== undefined && input.name.trim() !== current.name) {
        await updatePipeline(tx, scope, id, { name: input.name.trim() })
      }
      if (input.is_default && !current.is_default) {
        await clearDefaultPipeline(tx, scope)
        await updatePipeline(tx, scope, id, { is_default: true })
      }
      if (input.position !== undefined && input.position !== current.position) {
        const ids = (await listAllPipelines(tx, scope)).map((p) => p.id)
        await setPositions(tx, 'pipelines', scope, moveTo(ids, id, input.position))
      }
      if (input.stage_ids !== undefined) {
        const currentIds = current.stages.map((s) => s.id)
        const given = new Set(input.stage_ids)
        if (input.stage_ids.length !== currentIds.length || !currentIds.every((s) => given.has(s))) {
          throw invalidField('stage_ids', 'Must list every stage id of the pipeline exactly once')
        }
        await setPositions(tx, 'stages', scope, input.stage_ids)
        await updatePipeline(tx, scope, id, {})
      }
      return this.load(tx, scope, id)
    }).catch(asConflict)
  }

  /** Deletes a pipeline and its stages: 409 while it is the default or holds deals. */
  async remove(scope: TenantScope, id: string, opts: { ifMatch?: string } = {}): Promise<Pipeline> {
    return inTransaction(this.db, async (tx) => {
      await lockPipelines(tx, scope)
      const current = await this.load(tx, scope, id)
      assertIfMatch(opts.ifMatch, current)
      if (current.is_default) {
        throw new ApiError(
          'conflict',
          'The default pipeline cannot be deleted; make another pipeline the default first',
        )
      }
      if (await holdsDeals(tx, { pipelineId: id })) {
        throw new ApiError('conflict', `Pipeline ${id} still holds deals; move or delete them first`)
      }
      await deletePipeline(tx, scope, id)
      await setPositions(
        tx,
        'pipelines',
        scope,
        (await listAllPipelines(tx, scope)).map((p) => p.id),
      )
      return current
    }).catch(asConflict)
  }

  async getStage(scope: TenantScope, id: string): Promise<Stage> {
    const row = await findStage(this.db, scope, id)
    if (!row) throw stageNotFound(id)
    return toStage(row)
  }

  /** Adds a stage to a pipeline, last unless `position` says otherwise. */
  async createStage(scope: TenantScope, pipelineId: string, input: StageCreate): Promise<Stage> {
    return inTransaction(this.db, async (tx) => {
      await lockPipelines(tx, scope)
      const pipeline = await this.load(tx, scope, pipelineId)
      const kind = input.kind ?? 'open'
      assertNoOtherClosingStage(pipeline, kind)
      const [row] = await insertStages(tx, scope, pipelineId, [
        { name: input.name.trim(), kind, position: pipeline.stages.length, rotting_days: input.rotting_days ?? null },
      ])
      if (input.position !== undefined) {
        const ids = [...pipeline.stages.map((s) => s.id), row!.id]
        await setPositions(tx, 'stages', scope, moveTo(ids, row!.id, input.position))
      }
      await updatePipeline(tx, scope, pipelineId, {})
      return toStage((await findStage(tx, scope, row!.id))!)
    }).catch(asConflict)
  }

  /** Renames or moves a stage; its kind changes only while it holds no deals (a deal's status follows its stage). */
  async updateStage(scope: TenantScope, id: string, input: StageUpdate, opts: { ifMatch?: string } = {}) {
    return inTransaction(this.db, async (tx) => {
      await lockPipelines(tx, scope)
      const stage = await findStage(tx, scope, id)
      if (!stage) throw stageNotFound(id)
      assertIfMatch(opts.ifMatch, toStage(stage))
      const pipeline = await this.load(tx, scope, stage.pipeline_id)
      const values: { name?: string; kind?: StageKind; rotting_days?: number | null } = {}
      if (input.name !== undefined && input.name.trim() !== stage.name) values.name = input.name.trim()
      if (input.rotting_days !== undefined && input.rotting_days !== stage.rotting_days) {
        values.rotting_days = input.rotting_days
      }
      if (input.kind !== undefined && input.kind !== stage.kind) {
        if (await holdsDeals(tx, { stageId: id })) {
          throw new ApiError('conflict', `Stage ${id} holds deals: its kind cannot change; move them first`)
        }
        if (stage.kind === 'open') assertNotLastOpenStage(pipeline, id)
        assertNoOtherClosingStage(pipeline, input.kind)
        values.kind = input.kind
      }
      if (Object.keys(values).length > 0) await updateStage(tx, scope, id, values)
      if (input.position !== undefined && input.position !== stage.position) {
        const ids = pipeline.stages.map((s) => s.id)
        await setPositions(tx, 'stages', scope, moveTo(ids, id, input.position))
      }
      await updatePipeline(tx, scope, stage.pipeline_id, {})
      return toStage((await findStage(tx, scope, id))!)
    }).catch(asConflict)
  }

  /** Deletes an empty stage: 409 while it holds deals or is the pipeline's last open stage. */
  async removeStage(scope: TenantScope, id: string, opts: { ifMatch?: string } = {}): Promise<Stage> {
    return inTransaction(this.db, async (tx) => {
      await lockPipelines(tx, scope)
      const stage = await findStage(tx, scope, id)
      if (!stage) throw stageNotFound(id)
      assertIfMatch(opts.ifMatch, toStage(stage))
      if (await holdsDeals(tx, { stageId: id })) {
        throw new ApiError('conflict', `Stage ${id} still holds deals; move or delete them first`)
      }
      const pipeline = await this.load(tx, scope, stage.pipeline_id)
      if (stage.kind === 'open') assertNotLastOpenStage(pipeline, id)
      await deleteStage(tx, scope, id)
      await setPositions(
        tx,
        'stages',
        scope,
        pipeline.stages.filter((s) => s.id !== id).map((s) => s.id),
      )
      await updatePipeline(tx, scope, stage.pipeline_id, {})
      return toStage(stage)
    }).catch(asConflict)
  }
}

/** A pipeline needs an open stage (where new deals go) and at most one won and one lost stage. */
function assertStageSet(stages: { name: string; kind: StageKind }[]) {
  if (!stages.some((s) => s.kind === 'open')) throw invalidField('stages', 'Needs at least one open stage')
  for (const kind of ['won', 'lost'] as const) {
    if (stages.filter((s) => s.kind === kind).length > 1)
      throw invalidField('stages', `Has more than one ${kind} stage`)
  }
  const names = new Set(stages.map((s) => s.name.toLowerCase()))
  if (names.size !== stages.length) throw invalidField('stages', 'Stage names must be unique (case-insensitive)')
}

function assertNoOtherClosingStage(pipeline: Pipeline, kind: StageKind) {
  if (kind === 'open') return
  const existing = pipeline.stages.find((s) => s.kind === kind)
  if (existing) {
    throw new ApiError('conflict', `Pipeline ${pipeline.id} already has a ${kind} stage (${existing.name})`, {
      details: [{ field: 'kind', message: `The pipeline already has a ${kind} stage` }],
    })
  }
}

function assertNotLastOpenStage(pipeline: Pipeline, stageId: string) {
  if (!pipeline.stages.some((s) => s.kind === 'open' && s.id !== stageId)) {
    throw new ApiError('conflict', `Stage ${stageId} is the last open stage of its pipeline; a pipeline needs one`)
  }
}

function pipelineNotFound(id: string) {
  return new ApiError('not_found', `Pipeline ${id} not found`)
}

function stageNotFound(id: string) {
  return new ApiError('not_found', `Stage ${id} not found`)
}
