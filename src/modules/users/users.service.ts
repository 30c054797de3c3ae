import { sql } from 'kysely'
import { IANAZone } from 'luxon'
import { ApiError, invalidField } from '../../core/errors.js'
import { type PageParams, paginate, type SortSpec } from '../../core/pagination.js'
import { assertIfMatch } from '../../core/preconditions.js'
import type { Principal } from '../../core/tenancy.js'
import { likePattern } from '../../db/like.js'
import type { Db, Executor } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { type Clock, systemClock } from '../../lib/clock.js'
import { newId } from '../../lib/ids.js'
import { emit } from '../../outbox/emit.js'
import { emailHasAccount } from '../accounts/accounts.repo.js'
import { dealUpdated } from '../deals/deals.events.js'
import { countUpcomingBookings } from '../scheduling/bookings.repo.js'
import { taskUpdated } from '../tasks/tasks.events.js'
import { assertAuthorityOver, authorityOf } from './authority.js'
import type { User, UserCreate, UserListQuery, UserUpdate } from './users.schemas.js'

const COLUMNS = ['id', 'name', 'email', 'username', 'timezone', 'role', 'created_at', 'updated_at'] as const

type UserRow = {
  id: string
  name: string
  email: string
  username: string
  timezone: string
  role: User['role']
  created_at: Date
  updated_at: Date
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    object: 'user',
    name: row.name,
    email: row.email,
    username: row.username,
    timezone: row.timezone,
    role: row.role,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }
}

function assertTimezone(tz: string | undefined) {
  if (tz !== undefined && !IANAZone.isValidZone(tz)) {
    throw invalidField('timezone', 'Is not an IANA time zone (e.g. Europe/Paris)')
  }
}

/** Unique-index violations become the 409 that names the taken field. */
function asDuplicate(err: unknown): never {
  const e = err as { code?: string; constraint?: string }
  if (e?.code === '23505' && e.constraint === 'users_username') {
    throw new ApiError('already_exists', 'This username is taken', {
      details: [{ field: 'username', message: 'Already used on this installation' }],
    })
  }
  if (e?.code === '23505' && e.constraint === 'users_login_email') throw emailHasAccount()
  if (e?.code === '23505' && e.constraint === 'users_email') {
    throw new ApiError('already_exists', 'A user with this email already exists in the organization', {
      details: [{ field: 'email', message: 'Already used by another user of the organization' }],
    })
  }
  throw err
}

/**
 * The people of an organization. They are the same in live and test mode (they are real people,
 * not test data): both modes read them; only live keys change them.
 */
export class UsersService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  private assertLive(principal: Principal) {
    if (!principal.livemode) {
      throw new ApiError('insufficient_scope', 'Users are shared by live and test mode: change them with a live key')
    }
  }

  private find(executor: Executor, orgId: string, id: string, forUpdate = false) {
    let q = executor.selectFrom('users').select(COLUMNS).where('org_id', '=', orgId).where('id', '=', id)
    if (forUpdate) q = q.forUpdate()
    return q.executeTakeFirst() as Promise<UserRow | undefined>
  }

  async create(principal: Principal, input: UserCreate): Promise<User> {
    this.assertLive(principal)
    assertTimezone(input.timezone)
    assertAuthorityOver(await authorityOf(this.db, principal), input.role ?? 'member')
    const row = await this.db
      .insertInto('users')
      .values({
        id: newId('user'),
        org_id: principal.orgId,
        name: input.name,
        email: input.email,
        username: input.username,
        timezone: input.timezone ?? 'UTC',
        role: input.role ?? 'member',
      })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow()
      .catch(asDuplicate)
    return toUser(row as UserRow)
  }

  async get(principal: Principal, id: string): Promise<User> {
    const row = await this.find(this.db, principal.orgId, id)
    if (!row) throw notFound(id)
    return toUser(row)
  }

  async list(principal: Principal, query: UserListQuery & PageParams) {
    let q = this.db.selectFrom('users').where('org_id', '=', principal.orgId)
    if (query.role !== undefined) q = q.where('role', '=', query.role)
    if (query.email !== undefined) q = q.where(sql<boolean>`lower(email) = lower(${query.email})`)
    if (query.q !== undefined) {
      const pattern = likePattern(query.q)
      q = q.where((eb) =>
        eb.or([eb('name', 'ilike', pattern), eb('email', 'ilike', pattern), eb('username', 'ilike', pattern)]),
      )
    }
    const sortKey = query.sort ?? 'created_at'
    const name = sortKey.replace(/^-/, '')
    const sort: SortSpec = {
      name,
      expression: name === 'name' ? sql`lower(name)` : sql`created_at`,
      castTo: name === 'name' ? 'text' : 'timestamptz',
      descending: sortKey.startsWith('-'),
    }
    const page = await paginate(q, (qb) => qb.select(COLUMNS), sql<string>`id`, sort, query)
    return { ...page, data: page.data.map((r) => toUser(r as UserRow)) }
  }

  async update(principal: Principal, id: string, input: UserUpdate, opts: { ifMatch?: string } = {}): Promise<User> {
    this.assertLive(principal)
    assertTimezone(input.timezone)
    return inTransaction(this.db, async (tx) => {
      const current = await this.find(tx, principal.orgId, id, true)
      if (!current) throw notFound(id)
      assertIfMatch(opts.ifMatch, toUser(current))
      const authority = await authorityOf(tx, principal)
      assertAuthorityOver(authority, current.role)
      if (input.role !== undefined) assertAuthorityOver(authority, input.role)
      if (current.role === 'owner' && input.role !== undefined && input.role !== 'owner') {
        await assertAnotherOwner(tx, principal.orgId, id)
      }
      const row = await tx
        .updateTable('users')
        .set({ ...input, updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')` })
        .where('org_id', '=', principal.orgId)
        .where('id', '=', id)
        .returning(COLUMNS)
        .executeTakeFirstOrThrow()
      return toUser(row as UserRow)
    }).catch(asDuplicate)
  }

  /**
   * Removes the user; deals and tasks they owned go to `reassignTo` (with their events), or keep
   * existing with the link cleared.
   */
  async remove(principal: Principal, id: string, opts: { ifMatch?: string; reassignTo?: string } = {}): Promise<User> {
    this.assertLive(principal)
    return inTransaction(this.db, async (tx) => {
      const current = await this.find(tx, principal.orgId, id, true)
      if (!current) throw notFound(id)
      assertIfMatch(opts.ifMatch, toUser(current))
      assertAuthorityOver(await authorityOf(tx, principal), current.role)
      if (current.role === 'owner') await assertAnotherOwner(tx, principal.orgId, id)
      // Their guests would lose a booking without a word: those are cancelled first, on purpose.
      // Both modes count, as for deleting an event type.
      const upcoming = await countUpcomingBookings(tx, { userId: id }, this.clock.nowMs())
      if (upcoming > 0) {
        throw new ApiError(
          'conflict',
          `This user hosts ${upcoming} upcoming confirmed booking(s): cancel them first (POST /api/v1/bookings/{id}/cancel)`,
        )
      }
      if (opts.reassignTo !== undefined) await reassignRecords(tx, principal.orgId, id, opts.reassignTo)
      await tx.deleteFrom('users').where('org_id', '=', principal.orgId).where('id', '=', id).execute()
      return toUser(current)
    })
  }
}

/**
 * Gives the deals `fromId` owns and the tasks assigned to them, in both modes, to `toId` (another
 * user of the organization), each with its `*.updated` event in the caller's transaction.
 */
async function reassignRecords(tx: Executor, orgId: string, fromId: string, toId: string) {
  const target = await tx
    .selectFrom('users')
    .select('id')
    .where('org_id', '=', orgId)
    .where('id', '=', toId)
    .executeTakeFirst()
  if (!target || toId === fromId) {
    throw invalidField('reassign_to', 'Must be another user of the organization')
  }
  const bump = sql<Date>`greatest(now(), updated_at + interval '1 microsecond')`
  const deals = await tx
    .updateTable('deals')
    .set({ owner_id: toId, updated_at: bump })
    .where('org_id', '=', orgId)
    .where('owner_id', '=', fromId)
    .returning(['id', 'livemode'])
    .execute()
  for (const d of deals) {
    await emit(tx, { orgId, livemode: d.livemode }, dealUpdated, { id: d.id, changes: { owner_id: toId } })
  }
  const tasks = await tx
    .updateTable('tasks')
    .set({ assignee_id: toId, updated_at: bump })
    .where('org_id', '=', orgId)
    .where('assignee_id', '=', fromId)
    .returning(['id', 'livemode'])
    .execute()
  for (const t of tasks) {
    await emit(tx, { orgId, livemode: t.livemode }, taskUpdated, { id: t.id, changes: { assignee_id: toId } })
  }
}

/** An organization that has an owner keeps one: the last owner can be neither demoted nor removed. */
async function assertAnotherOwner(tx: Executor, orgId: string, exceptId: string) {
  // Lock the organization's owners so two concurrent demotions cannot both pass.
  const owners = await tx
    .selectFrom('users')
    .select('id')
    .where('org_id', '=', orgId)
    .where('role', '=', 'owner')
    .forUpdate()
    .execute()
  if (!owners.some((o) => o.id !== exceptId)) {
    throw new ApiError('conflict', 'This is the organization’s last owner: make another user owner first')
  }
}

function notFound(id: string) {
  return new ApiError('not_found', `User ${id} not found`)
}
