import type { ValidateFunction } from 'ajv'
import { ApiError, type ErrorDetail } from '../../../core/errors.js'
import type { TenantScope } from '../../../core/tenancy.js'
import { validationDetails, validatorCompiler } from '../../../core/validation.js'
import type { Db } from '../../../db/schema.js'
import { findContactIdBy } from '../contacts.repo.js'
import { ContactCreate } from '../contacts.schemas.js'
import type { ContactsService } from '../contacts.service.js'
import type { BatchItemResult, BatchUpsertBody, BatchUpsertResult } from './bulk.schemas.js'

let validateItem: ValidateFunction | undefined
function itemValidator(): ValidateFunction {
  validateItem ??= validatorCompiler({
    schema: ContactCreate,
    httpPart: 'body',
    method: 'POST',
    url: '/api/v1/contacts/batch',
  }) as ValidateFunction
  return validateItem
}

function itemError(err: ApiError): BatchItemResult['error'] {
  return {
    code: err.code,
    message: err.message,
    ...(err.extra.details ? { details: err.extra.details } : {}),
  }
}

export class ContactsBatchService {
  constructor(
    private readonly db: Db,
    private readonly contacts: ContactsService,
  ) {}

  /**
   * Upserts each item on its own, in order: every item's write and its event (`contact.created`,
   * or `contact.updated` when something changed) commit together, and a bad item fails alone.
   */
  async upsert(scope: TenantScope, body: BatchUpsertBody): Promise<BatchUpsertResult> {
    const matchOn = body.match_on ?? 'email'
    const results: BatchItemResult[] = []
    for (const [index, item] of body.contacts.entries()) {
      try {
        results.push({ index, ...(await this.upsertOne(scope, item, matchOn)), error: null })
      } catch (err) {
        if (!(err instanceof ApiError)) throw err
        results.push({ index, status: 'error', id: null, error: itemError(err) })
      }
    }
    const count = (status: BatchItemResult['status']) => results.filter((r) => r.status === status).length
    return { results, created: count('created'), updated: count('updated'), failed: count('error') }
  }

  private async upsertOne(
    scope: TenantScope,
    item: unknown,
    matchOn: 'email' | 'external_id',
  ): Promise<{ status: 'created' | 'updated'; id: string }> {
    const validate = itemValidator()
    if (!validate(item)) {
      const details: ErrorDetail[] = validationDetails(validate.errors ?? [])
      const first = details[0]!
      throw new ApiError('validation_failed', `${first.field}: ${first.message}`, { details })
    }
    const input = item as ContactCreate
    const key = input[matchOn]
    if (key === undefined) {
      throw new ApiError('validation_failed', `${matchOn}: Required to match on ${matchOn}`, {
        details: [{ field: matchOn, message: `Required to match on ${matchOn}` }],
      })
    }
    // Two tries: a contact created (or deleted) by someone else between the look-up and the write
    // turns the create into an update (or the update into a create) once.
    for (let attempt = 0; ; attempt++) {
      const id = await findContactIdBy(this.db, scope, matchOn, key)
      try {
        if (id === undefined) return { status: 'created', id: (await this.contacts.create(scope, input)).id }
        // The item's fields apply as a PATCH would: tags replaced, custom fields merged.
        await this.contacts.update(scope, id, input)
        return { status: 'updated', id }
      } catch (err) {
        const raced =
          err instanceof ApiError &&
          ((id === undefined && err.code === 'already_exists' && err.extra.details?.[0]?.field === matchOn) ||
            (id !== undefined && err.code === 'not_found'))
        if (!raced || attempt > 0) throw err
      }
    }
  }
}
