import { ApiError } from '../../core/errors.js'
import type { PageParams } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Db } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { newId } from '../../lib/ids.js'
import {
  clearDefaultSender,
  countSenders,
  deleteSender,
  findSender,
  insertSender,
  listSenders,
  type SenderRow,
  updateSender,
} from './senders.repo.js'
import type { Sender, SenderCreate, SenderUpdate } from './senders.schemas.js'

export function toSender(row: SenderRow): Sender {
  return {
    id: row.id,
    object: 'sender',
    email: row.email,
    name: row.name,
    reply_to: row.reply_to,
    is_default: row.is_default,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }
}

/** The organization's from-addresses. One of them is the default; the first one added always is. */
export class SendersService {
  constructor(private readonly db: Db) {}

  async create(scope: TenantScope, input: SenderCreate): Promise<Sender> {
    return inTransaction(this.db, async (tx) => {
      const isDefault = input.is_default === true || (await countSenders(tx, scope)) === 0
      if (isDefault) await clearDefaultSender(tx, scope)
      const row = await insertSender(tx, scope, {
        id: newId('emailSender'),
        email: input.email,
        name: input.name ?? null,
        reply_to: input.reply_to ?? null,
        is_default: isDefault,
      })
      if (!row) throw new ApiError('already_exists', `${input.email} is already a sender of this organization`)
      return toSender(row)
    })
  }

  async get(scope: TenantScope, id: string): Promise<Sender> {
    const row = await findSender(this.db, scope, id)
    if (!row) throw notFound(id)
    return toSender(row)
  }

  async list(scope: TenantScope, query: PageParams) {
    const page = await listSenders(this.db, scope, query)
    return { ...page, data: page.data.map(toSender) }
  }

  async update(scope: TenantScope, id: string, input: SenderUpdate): Promise<Sender> {
    return inTransaction(this.db, async (tx) => {
      const current = await findSender(tx, scope, id)
      if (!current) throw notFound(id)
      if (input.is_default && !current.is_default) await clearDefaultSender(tx, scope)
      const row = await updateSender(tx, scope, id, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.reply_to !== undefined ? { reply_to: input.reply_to } : {}),
        ...(input.is_default ? { is_default: true } : {}),
      })
      if (!row) throw notFound(id)
      return toSender(row)
    })
  }

  /** Messages already queued keep the address they were given; deleting the default leaves none. */
  async remove(scope: TenantScope, id: string): Promise<Sender> {
    const row = await deleteSender(this.db, scope, id)
    if (!row) throw notFound(id)
    return toSender(row)
  }
}

function notFound(id: string) {
  return new ApiError('not_found', `Sender ${id} not found`)
}
