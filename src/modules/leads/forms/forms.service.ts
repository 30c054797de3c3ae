import { ApiError, type ErrorDetail } from '../../../core/errors.js'
import { cappedTotal } from '../../../core/pagination.js'
import { assertIfMatch } from '../../../core/preconditions.js'
import type { TenantScope } from '../../../core/tenancy.js'
import type { Db, Executor } from '../../../db/schema.js'
import type { FormFieldValue } from '../../../db/schema-leads.js'
import { inTransaction } from '../../../db/transaction.js'
import { newId } from '../../../lib/ids.js'
import { lockTeams } from '../teams/teams.repo.js'
import {
  deleteForm,
  type FormRow,
  findForm,
  insertForm,
  listForms,
  listFormsFromOffset,
  updateForm,
} from './forms.repo.js'
import type { Form, FormCreate, FormListQuery, FormUpdate } from './forms.schemas.js'

export function toForm(row: FormRow): Form {
  return {
    id: row.id,
    object: 'form',
    name: row.name,
    fields: row.fields,
    success_message: row.success_message,
    redirect_url: row.redirect_url,
    team_ids: row.team_ids,
    callback_enabled: row.callback_enabled,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }
}

/** Normalizes the fields of a request and checks what a schema cannot: unique keys, select options. */
function normalizeFields(fields: FormCreate['fields'] = []): FormFieldValue[] {
  const details: ErrorDetail[] = []
  const seen = new Set<string>()
  fields.forEach((f, i) => {
    if (seen.has(f.key.toLowerCase())) details.push({ field: `fields.${i}.key`, message: `Duplicate key ${f.key}` })
    seen.add(f.key.toLowerCase())
    if (f.type === 'select' && !f.options) {
      details.push({ field: `fields.${i}.options`, message: 'A select field needs its options' })
    }
    if (f.type !== 'select' && f.options) {
      details.push({ field: `fields.${i}.options`, message: 'Only a select field has options' })
    }
  })
  if (details.length > 0) {
    throw new ApiError('validation_failed', `${details[0]!.field}: ${details[0]!.message}`, { details })
  }
  return fields.map((f) => ({
    key: f.key,
    label: f.label,
    type: f.type,
    required: f.required ?? false,
    options: f.options ?? null,
  }))
}

/** Throws 422 naming `field` unless every id is a team of the scope; locks them until commit. */
export async function assertTeamsExist(tx: Executor, scope: TenantScope, ids: string[], field: string) {
  if (ids.length === 0) return
  const known = new Set(await lockTeams(tx, scope, ids))
  const details = ids.flatMap((id, i) =>
    known.has(id) ? [] : [{ field: `${field}.${i}`, message: `No team ${id} in this organization` }],
  )
  if (details.length > 0) {
    throw new ApiError('validation_failed', `${details[0]!.field}: ${details[0]!.message}`, { details })
  }
}

export class FormsService {
  constructor(private readonly db: Db) {}

  async create(scope: TenantScope, input: FormCreate): Promise<Form> {
    const fields = normalizeFields(input.fields)
    return inTransaction(this.db, async (tx) => {
      await assertTeamsExist(tx, scope, input.team_ids ?? [], 'team_ids')
      const row = await insertForm(tx, scope, {
        id: newId('form'),
        name: input.name,
        fields: JSON.stringify(fields),
        success_message: input.success_message ?? null,
        redirect_url: input.redirect_url ?? null,
        team_ids: input.team_ids ?? [],
        callback_enabled: input.callback_enabled ?? false,
      })
      return toForm(row)
    })
  }

  async get(scope: TenantScope, id: string): Promise<Form> {
    const row = await findForm(this.db, scope, id)
    if (!row) throw notFound(id)
    return toForm(row)
  }

  /** One page: by `page` or `cursor` (shared paging), or from `offset` (the forms-API style). */
  async list(scope: TenantScope, query: FormListQuery) {
    const limit = query.limit ?? 50
    if (query.offset !== undefined && query.cursor === undefined) {
      const { rows, count } = await listFormsFromOffset(this.db, scope, query, query.offset, limit)
      return {
        data: rows.slice(0, limit).map(toForm),
        pagination: {
          page: null,
          limit,
          ...cappedTotal(count),
          has_more: rows.length > limit,
          next_cursor: null,
        },
      }
    }
    const page = await listForms(this.db, scope, { ...query, limit })
    return { ...page, data: page.data.map(toForm) }
  }

  /** Applies the given fields to the locked row; with `ifMatch`, only if the form still has that ETag. */
  async update(scope: TenantScope, id: string, input: FormUpdate, opts: { ifMatch?: string } = {}): Promise<Form> {
    const fields = input.fields === undefined ? undefined : normalizeFields(input.fields)
    return inTransaction(this.db, async (tx) => {
      const current = await findForm(tx, scope, id, { forUpdate: true })
      if (!current) throw notFound(id)
      assertIfMatch(opts.ifMatch, toForm(current))
      if (input.team_ids !== undefined) await assertTeamsExist(tx, scope, input.team_ids, 'team_ids')
      const row = await updateForm(tx, scope, id, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(fields !== undefined ? { fields: JSON.stringify(fields) } : {}),
        ...(input.success_message !== undefined ? { success_message: input.success_message } : {}),
        ...(input.redirect_url !== undefined ? { redirect_url: input.redirect_url } : {}),
        ...(input.team_ids !== undefined ? { team_ids: input.team_ids } : {}),
        ...(input.callback_enabled !== undefined ? { callback_enabled: input.callback_enabled } : {}),
      })
      return toForm(row)
    })
  }

  rename(scope: TenantScope, id: string, name: string): Promise<Form> {
    return this.update(scope, id, { name })
  }

  async teams(scope: TenantScope, id: string): Promise<{ teams: string[] }> {
    return { teams: (await this.get(scope, id)).team_ids }
  }

  /**
   * Replaces the form's teams. The form row is locked (`for update`) before the teams are checked
   * and written, so two concurrent edits of one form apply one after the other: none is lost.
   */
  async setTeams(scope: TenantScope, id: string, teams: string[]): Promise<{ teams: string[] }> {
    return inTransaction(this.db, async (tx) => {
      const current = await findForm(tx, scope, id, { forUpdate: true })
      if (!current) throw notFound(id)
      await assertTeamsExist(tx, scope, teams, 'teams')
      await updateForm(tx, scope, id, { team_ids: teams })
      return { teams }
    })
  }

  async remove(scope: TenantScope, id: string): Promise<void> {
    if (!(await deleteForm(this.db, scope, id))) throw notFound(id)
  }
}

export function notFound(id: string) {
  return new ApiError('not_found', `Form ${id} not found`)
}
