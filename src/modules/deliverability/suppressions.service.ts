import { ApiError, invalidField } from '../../core/errors.js'
import type { PageParams } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Db, Executor } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { deleteSuppression, findSuppression, listSuppressions, type SuppressionRow } from './deliverability.repo.js'
import { suppress } from './suppress.js'
import type { Suppression, SuppressionCreate, SuppressionListQuery } from './suppressions.schemas.js'

export function toSuppression(row: SuppressionRow): Suppression {
  return {
    id: row.id,
    object: 'suppression',
    email: row.address,
    reason: row.reason as Suppression['reason'],
    evidence: row.evidence as Record<string, unknown>,
    created_at: row.created_at.toISOString(),
  }
}

/** The addresses of an organization (and mode) that get no marketing email. */
export class SuppressionsService {
  constructor(private readonly db: Db) {}

  async list(scope: TenantScope, query: SuppressionListQuery & PageParams) {
    const page = await listSuppressions(this.db, scope, query)
    return { ...page, data: page.data.map(toSuppression) }
  }

  async get(scope: TenantScope, idOrAddress: string): Promise<Suppression> {
    const row = await findSuppression(this.db, scope, idOrAddress)
    if (!row) throw new ApiError('not_found', `Suppression ${idOrAddress} not found`)
    return toSuppression(row)
  }

  /** Suppresses an address by hand (`manual`), with `email.suppressed`; an address already suppressed is a 409. */
  async create(scope: TenantScope, input: SuppressionCreate): Promise<Suppression> {
    return inTransaction(this.db, async (tx) => {
      const row = await suppress(tx, scope, input.email, 'manual', input.note ? { note: input.note } : {})
      if (!row) throw new ApiError('already_exists', `${input.email} is already suppressed`)
      return toSuppression(row)
    })
  }

  /**
   * Lifts a suppression: transactional mail goes to the address again. Its contacts' subscription
   * status (`bounced`, `complained`) is left as it is: marketing needs the person's consent again.
   */
  async remove(scope: TenantScope, idOrAddress: string): Promise<Suppression> {
    return inTransaction(this.db, async (tx) => {
      const found = await findSuppression(tx, scope, idOrAddress)
      const row = found ? await deleteSuppression(tx, scope, found.id) : undefined
      if (!row) throw new ApiError('not_found', `Suppression ${idOrAddress} not found`)
      return toSuppression(row)
    })
  }
}

/**
 * Refuses a transactional message to a suppressed address (422 naming `to`), unless `force`: a
 * person may still need a receipt or a password reset at an address that once bounced.
 */
export async function assertNotSuppressed(db: Executor, scope: TenantScope, address: string, force: boolean) {
  if (force) return
  const row = await findSuppression(db, scope, address)
  if (row) {
    throw invalidField(
      'to',
      `${address} is suppressed (${row.reason} since ${row.created_at.toISOString()}); send with "force": true to send anyway, or lift it with DELETE /api/v1/suppressions/${row.id}`,
    )
  }
}
