import { normalizeCurrency } from '../../core/currency.js'
import { ApiError, invalidField } from '../../core/errors.js'
import type { PageParams } from '../../core/pagination.js'
import { assertIfMatch } from '../../core/preconditions.js'
import type { TenantScope } from '../../core/tenancy.js'
import { assertLinked } from '../../db/links.js'
import type { Db, Executor, Tx } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { newId } from '../../lib/ids.js'
import { emit } from '../../outbox/emit.js'
import { findPipeline, findStage, listStages, type StageRow } from '../pipelines/pipelines.repo.js'
import { ensureDefaultPipeline } from '../pipelines/pipelines.service.js'
import { dealCreated, dealDeleted, dealLost, dealStageChanged, dealUpdated, dealWon } from './deals.events.js'
import {
  type DealRow,
  type DealValues,
  deleteDeal,
  findDeal,
  findOrgCurrency,
  insertDeal,
  listDeals,
  updateDeal,
} from './deals.repo.js'
import type { Deal, DealCreate, DealListQuery, DealStatus, DealUpdate } from './deals.schemas.js'
import { formatAmount, parseAmount } from './money.js'

export function toDeal(row: DealRow): Deal {
  return {
    id: row.id,
    object: 'deal',
    title: row.title,
    value: formatAmount(row.value, row.currency),
    currency: row.currency,
    pipeline_id: row.pipeline_id,
    stage_id: row.stage_id,
    stage: row.stage,
    status: row.status,
    contact_id: row.contact_id,
    owner_id: row.owner_id,
    expected_close_date: row.expected_close_date,
    lost_reason: row.lost_reason,
    won_reason: row.won_reason,
    won_at: row.won_at?.toISOString() ?? null,
    lost_at: row.lost_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    // A row just written has no computed columns: the write itself is the last activity.
    last_activity_at: (row.last_activity_at ?? row.updated_at).toISOString(),
    rotting: row.rotting ?? false,
  }
}

/** Where a deal sits: its stage (hence pipeline) and its status, always consistent. */
interface Placement {
  stage: StageRow
  status: DealStatus
}

type PlacementInput = Pick<DealCreate, 'pipeline_id' | 'stage_id' | 'status'>

/**
 * The stage/status rule, in one place (docs/deals.md explains it to clients):
 * - a deal in a `won` or `lost` stage has that status; moving it into an open stage reopens it;
 * - `status: won|lost` alone moves the deal into the pipeline's won/lost stage when there is one,
 *   else the deal keeps its open stage with that status;
 * - `status: open` on a deal in a won/lost stage moves it to the pipeline's last open stage;
 * - a stage of another pipeline needs a matching `pipeline_id`; `pipeline_id` alone picks the new
 *   pipeline's stage for the deal's status (its won/lost stage, or else its first open stage).
 */
async function resolvePlacement(
  tx: Tx,
  scope: TenantScope,
  current: { stage: StageRow; status: DealStatus } | undefined,
  input: PlacementInput,
): Promise<Placement> {
  if (input.stage_id !== undefined) {
    const stage = await findStage(tx, scope, input.stage_id, { lock: 'share' })
    if (!stage) throw invalidField('stage_id', `No stage ${input.stage_id} in this organization`)
    const expectedPipeline = input.pipeline_id ?? current?.stage.pipeline_id
    if (expectedPipeline !== undefined && stage.pipeline_id !== expectedPipeline) {
      throw invalidField(
        'stage_id',
        input.pipeline_id !== undefined
          ? `Belongs to pipeline ${stage.pipeline_id}, not to pipeline_id ${input.pipeline_id}`
          : `Belongs to pipeline ${stage.pipeline_id}; send pipeline_id too to move the deal to another pipeline`,
      )
    }
    const keepsStage = current !== undefined && current.stage.id === stage.id
    const status = input.status ?? (stage.kind !== 'open' ? stage.kind : keepsStage ? current.status : 'open')
    if (stage.kind !== 'open' && status !== stage.kind) {
      throw invalidField('status', `Conflicts with stage_id: a deal in the ${stage.kind} stage is ${stage.kind}`)
    }
    if (stage.kind === 'open' && status !== 'open') {
      const closing = (await listStages(tx, scope, [stage.pipeline_id])).find((s) => s.kind === status)
      if (closing) {
        throw invalidField(
          'status',
          `Conflicts with stage_id: a ${status} deal of this pipeline goes to ${closing.name}`,
        )
      }
    }
    return { stage, status }
  }

  let pipelineId: string
  if (input.pipeline_id !== undefined && input.pipeline_id !== current?.stage.pipeline_id) {
    if (!(await findPipeline(tx, scope, input.pipeline_id))) {
      throw invalidField('pipeline_id', `No pipeline ${input.pipeline_id} in this organization`)
    }
    pipelineId = input.pipeline_id
  } else if (current) {
    // Same pipeline: only a status change can move the deal.
    const status = input.status ?? current.status
    if (status === current.status) return current
    const stages = await listStages(tx, scope, [current.stage.pipeline_id])
    const closing = status === 'open' ? undefined : stages.find((s) => s.kind === status)
    if (closing) return { stage: await lockStage(tx, scope, closing.id), status }
    if (current.stage.kind === 'open') return { stage: current.stage, status }
    return { stage: await lockStage(tx, scope, lastOpenStage(stages).id), status }
  } else {
    pipelineId = await ensureDefaultPipeline(tx, scope)
  }
  const status = input.status ?? current?.status ?? 'open'
  const stages = await listStages(tx, scope, [pipelineId])
  const target = (status !== 'open' && stages.find((s) => s.kind === status)) || firstOpenStage(stages)
  return { stage: await lockStage(tx, scope, target.id), status }
}

function firstOpenStage(stages: StageRow[]): StageRow {
  const stage = stages.find((s) => s.kind === 'open')
  if (!stage) throw new ApiError('conflict', 'The pipeline has no open stage')
  return stage
}

function lastOpenStage(stages: StageRow[]): StageRow {
  const stage = stages.filter((s) => s.kind === 'open').at(-1)
  if (!stage) throw new ApiError('conflict', 'The pipeline has no open stage')
  return stage
}

/**
 * `stage` given by name: the id of the stage of that name, compared without regard to case, in the
 * deal's pipeline (the `pipeline_id` sent, else the deal's own, else the default pipeline). An
 * unknown name is a 422 listing the pipeline's stage names; `stage` and `stage_id` naming two
 * different stages, a 422 too. Without `stage`, the input is returned as it is.
 */
async function withStageByName<T extends PlacementInput & { stage?: string }>(
  tx: Tx,
  scope: TenantScope,
  current: { stage: StageRow } | undefined,
  input: T,
): Promise<T> {
  if (input.stage === undefined) return input
  let pipelineId = input.pipeline_id ?? current?.stage.pipeline_id
  if (pipelineId === undefined) pipelineId = await ensureDefaultPipeline(tx, scope)
  else if (pipelineId !== current?.stage.pipeline_id && !(await findPipeline(tx, scope, pipelineId))) {
    throw invalidField('pipeline_id', `No pipeline ${pipelineId} in this organization`)
  }
  const stages = await listStages(tx, scope, [pipelineId])
  const wanted = input.stage.trim().toLocaleLowerCase()
  const stage = stages.find((s) => s.name.toLocaleLowerCase() === wanted)
  if (!stage) {
    throw invalidField(
      'stage',
      `No stage "${input.stage.slice(0, 100)}" in this pipeline; its stages are: ${stages.map((s) => s.name).join(', ')}`,
    )
  }
  if (input.stage_id !== undefined && input.stage_id !== stage.id) {
    throw invalidField('stage', `Names stage ${stage.id}, but stage_id is ${input.stage_id}: send one of them`)
  }
  return { ...input, stage_id: stage.id }
}

/** Locks the stage against deletion or a change of kind until the deal is written (see PipelinesService). */
async function lockStage(tx: Tx, scope: TenantScope, id: string): Promise<StageRow> {
  const stage = await findStage(tx, scope, id, { lock: 'share' })
  if (!stage) throw new ApiError('conflict', `Stage ${id} was deleted meanwhile; retry`)
  return stage
}

async function assertContact(tx: Executor, scope: TenantScope, id: string | null | undefined) {
  if (id) await assertLinked(tx, scope, 'contacts', id, 'contact_id')
}

async function assertOwner(tx: Executor, scope: TenantScope, id: string | null | undefined) {
  if (id) await assertLinked(tx, scope, 'users', id, 'owner_id')
}

/** What a write says about closing: the reasons, and when (`closed_at`, else now). */
interface ClosingInput {
  lost_reason?: string | null
  won_reason?: string | null
  closed_at?: string
}

/**
 * won_at / lost_at and the reasons for a deal entering `status` (or staying in it). A deal staying
 * won (lost) keeps its date and reason unless the write gives new ones.
 */
function closingFields(
  status: DealStatus,
  previous: Pick<DealRow, 'status' | 'won_at' | 'lost_at' | 'lost_reason' | 'won_reason'> | undefined,
  input: ClosingInput,
  now: Date,
): Pick<DealValues, 'won_at' | 'lost_at' | 'lost_reason' | 'won_reason'> {
  if (input.lost_reason && status !== 'lost') throw invalidField('lost_reason', 'Only a lost deal has a lost reason')
  if (input.won_reason && status !== 'won') throw invalidField('won_reason', 'Only a won deal has a won reason')
  if (input.closed_at !== undefined && status === 'open') {
    throw invalidField('closed_at', 'Only a won or lost deal has a closing date')
  }
  const same = previous?.status === status
  const closedAt = input.closed_at !== undefined ? new Date(input.closed_at) : undefined
  const open = { won_at: null, lost_at: null, lost_reason: null, won_reason: null }
  if (status === 'won') {
    return {
      ...open,
      won_at: closedAt ?? (same ? previous.won_at : now),
      won_reason: input.won_reason !== undefined ? input.won_reason : same ? previous.won_reason : null,
    }
  }
  if (status === 'lost') {
    return {
      ...open,
      lost_at: closedAt ?? (same ? previous.lost_at : now),
      lost_reason: input.lost_reason !== undefined ? input.lost_reason : same ? previous.lost_reason : null,
    }
  }
  return open
}

/** Computed on reads: never a change of their own. */
const READ_ONLY = new Set<keyof Deal>(['last_activity_at', 'rotting'])

export class DealsService {
  constructor(private readonly db: Db) {}

  /** Creates a deal and emits `deal.created` (and `deal.won` / `deal.lost` when created closed). */
  async create(scope: TenantScope, input: DealCreate): Promise<Deal> {
    return inTransaction(this.db, async (tx) => {
      const currency = input.currency
        ? normalizeCurrency(input.currency)
        : normalizeCurrency(await findOrgCurrency(tx, scope.orgId))
      const value = parseAmount(input.value ?? 0, currency)
      await assertContact(tx, scope, input.contact_id)
      await assertOwner(tx, scope, input.owner_id)
      const { stage, status } = await resolvePlacement(
        tx,
        scope,
        undefined,
        await withStageByName(tx, scope, undefined, input),
      )
      const values: DealValues = {
        title: input.title.trim(),
        value,
        currency,
        pipeline_id: stage.pipeline_id,
        stage_id: stage.id,
        contact_id: input.contact_id ?? null,
        owner_id: input.owner_id ?? null,
        expected_close_date: input.expected_close_date ?? null,
        status,
        ...closingFields(status, undefined, { lost_reason: input.lost_reason }, new Date()),
      }
      const row = { ...(await insertDeal(tx, scope, newId('deal'), values)), stage: stage.name }
      const deal = toDeal(row)
      await emit(tx, scope, dealCreated, {
        id: deal.id,
        title: deal.title,
        value: Number(deal.value),
        currency: deal.currency,
        stage: deal.stage,
        contact_id: deal.contact_id,
      })
      await emitClosing(tx, scope, deal, undefined)
      return deal
    })
  }

  async get(scope: TenantScope, id: string): Promise<Deal> {
    const row = await findDeal(this.db, scope, id)
    if (!row) throw notFound(id)
    return toDeal(row)
  }

  list(scope: TenantScope, query: DealListQuery & PageParams) {
    return listDeals(this.db, scope, query).then((page) => ({ ...page, data: page.data.map(toDeal) }))
  }

  /**
   * Applies the given fields under a row lock. Emits `deal.updated` with the changed fields, then
   * `deal.stage_changed` when the stage changed and `deal.won` / `deal.lost` when the status became so.
   */
  async update(scope: TenantScope, id: string, input: DealUpdate, opts: { ifMatch?: string } = {}): Promise<Deal> {
    return inTransaction(this.db, async (tx) => {
      const current = await findDeal(tx, scope, id, { forUpdate: true })
      if (!current) throw notFound(id)
      const before = toDeal(current)
      assertIfMatch(opts.ifMatch, before)

      const currency = input.currency !== undefined ? normalizeCurrency(input.currency) : current.currency
      let value = current.value
      if (input.value !== undefined) value = parseAmount(input.value, currency)
      else if (currency !== current.currency) {
        try {
          value = parseAmount(current.value, currency)
        } catch {
          throw invalidField('currency', `The deal's value ${before.value} has more decimals than ${currency} allows`)
        }
      }
      if (input.contact_id !== current.contact_id) await assertContact(tx, scope, input.contact_id)
      if (input.owner_id !== current.owner_id) await assertOwner(tx, scope, input.owner_id)

      const currentStage = await findStage(tx, scope, current.stage_id)
      const placed = { stage: currentStage!, status: current.status }
      const placement = await resolvePlacement(tx, scope, placed, await withStageByName(tx, scope, placed, input))
      const next: DealRow = {
        ...current,
        title: input.title?.trim() ?? current.title,
        value,
        currency,
        pipeline_id: placement.stage.pipeline_id,
        stage_id: placement.stage.id,
        stage: placement.stage.name,
        status: placement.status,
        contact_id: input.contact_id !== undefined ? input.contact_id : current.contact_id,
        owner_id: input.owner_id !== undefined ? input.owner_id : current.owner_id,
        expected_close_date:
          input.expected_close_date !== undefined ? input.expected_close_date : current.expected_close_date,
        ...closingFields(placement.status, current, input, new Date()),
      }
      const after = toDeal(next)
      const changed = (Object.keys(after) as (keyof Deal)[]).filter(
        (k) =>
          !READ_ONLY.has(k) &&
          k !== 'stage' &&
          k !== 'updated_at' &&
          JSON.stringify(after[k]) !== JSON.stringify(before[k]),
      )
      if (changed.length === 0) return before

      const patch: Partial<DealValues> = {}
      for (const k of changed) (patch as Record<string, unknown>)[k] = next[k as keyof DealValues]
      const deal = toDeal({ ...(await updateDeal(tx, scope, id, patch)), stage: placement.stage.name })
      // Money in events is a number in major units, with its currency beside it.
      const changes: Record<string, unknown> = Object.fromEntries(changed.map((k) => [k, deal[k]]))
      if (changes.value !== undefined) changes.value = Number(deal.value)
      await emit(tx, scope, dealUpdated, {
        id,
        changes,
        ...(changes.value !== undefined ? { currency: deal.currency } : {}),
      })
      if (deal.stage_id !== before.stage_id) {
        await emit(tx, scope, dealStageChanged, {
          id,
          previous_stage: before.stage,
          new_stage: deal.stage,
          value: Number(deal.value),
          currency: deal.currency,
        })
      }
      await emitClosing(tx, scope, deal, before.status)
      return deal
    })
  }

  async remove(scope: TenantScope, id: string, opts: { ifMatch?: string } = {}): Promise<{ id: string }> {
    return inTransaction(this.db, async (tx) => {
      if (opts.ifMatch !== undefined) {
        const current = await findDeal(tx, scope, id, { forUpdate: true })
        if (!current) throw notFound(id)
        assertIfMatch(opts.ifMatch, toDeal(current))
      }
      const row = await deleteDeal(tx, scope, id)
      if (!row) throw notFound(id)
      await emit(tx, scope, dealDeleted, { id: row.id, title: row.title })
      return row
    })
  }
}

/** `deal.won` / `deal.lost` when the deal has just entered that status. */
async function emitClosing(tx: Tx, scope: TenantScope, deal: Deal, previous: DealStatus | undefined) {
  if (deal.status === previous) return
  if (deal.status === 'won') {
    await emit(tx, scope, dealWon, {
      id: deal.id,
      title: deal.title,
      value: Number(deal.value),
      currency: deal.currency,
      won_at: deal.won_at!,
    })
  } else if (deal.status === 'lost') {
    await emit(tx, scope, dealLost, { id: deal.id, title: deal.title, reason: deal.lost_reason })
  }
}

function notFound(id: string) {
  return new ApiError('not_found', `Deal ${id} not found`)
}
