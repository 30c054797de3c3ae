import { IANAZone } from 'luxon'
import { ApiError, invalidField } from '../../core/errors.js'
import type { PageParams } from '../../core/pagination.js'
import { assertIfMatch } from '../../core/preconditions.js'
import type { Principal } from '../../core/tenancy.js'
import type { Db, Executor } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { type Clock, systemClock } from '../../lib/clock.js'
import { newId } from '../../lib/ids.js'
import { emit } from '../../outbox/emit.js'
import { emailHasAccount } from '../accounts/accounts.repo.js'
import { dealUpdated } from '../deals/deals.events.js'
import { reassignDeals } from '../deals/deals.repo.js'
import { countUpcomingBookings } from '../scheduling/bookings.repo.js'
import { taskUpdated } from '../tasks/tasks.events.js'
import { reassignTasks } from '../tasks/tasks.repo.js'
import { assertAuthorityOver, authorityOf } from './authority.js'
import {
  deleteUser,
  findUser,
  insertUser,
  isUserOf,
  listUsers,
  lockOwners,
  type UserRow,
  updateUser,
} from './users.repo.js'
import type { User, UserCreate, UserListQuery, UserUpdate } from './users.schemas.js'

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

  async create(principal: Principal, input: UserCreate): Promise<User> {
    this.assertLive(principal)
    assertTimezone(input.timezone)
    assertAuthorityOver(await authorityOf(this.db, principal), input.role ?? 'member')
    const row = await insertUser(this.db, principal.orgId, {
      id: newId('user'),
      name: input.name,
      email: input.email,
      username: input.username,
      timezone: input.timezone ?? 'UTC',
      role: input.role ?? 'member',
    }).catch(asDuplicate)
    return toUser(row)
  }

  async get(principal: Principal, id: string): Promise<User> {
    const row = await findUser(this.db, principal.orgId, id)
    if (!row) throw notFound(id)
    return toUser(row)
  }

  async list(principal: Principal, query: UserListQuery & PageParams) {
    const page = await listUsers(this.db, principal.orgId, query)
    return { ...page, data: page.data.map(toUser) }
  }

  async update(principal: Principal, id: string, input: UserUpdate, opts: { ifMatch?: string } = {}): Promise<User> {
    this.assertLive(principal)
    assertTimezone(input.timezone)
    return inTransaction(this.db, async (tx) => {
      const current = await findUser(tx, principal.orgId, id, { forUpdate: true })
      if (!current) throw notFound(id)
      assertIfMatch(opts.ifMatch, toUser(current))
      const authority = await authorityOf(tx, principal)
      assertAuthorityOver(authority, current.role)
      if (input.role !== undefined) assertAuthorityOver(authority, input.role)
      if (current.role === 'owner' && input.role !== undefined && input.role !== 'owner') {
        await assertAnotherOwner(tx, principal.orgId, id)
      }
      return toUser(await updateUser(tx, principal.orgId, id, input))
    }).catch(asDuplicate)
  }

  /**
   * Removes the user; deals and tasks they owned go to `reassignTo` (with their events), or keep
   * existing with the link cleared.
   */
  async remove(principal: Principal, id: string, opts: { ifMatch?: string; reassignTo?: string } = {}): Promise<User> {
    this.assertLive(principal)
    return inTransaction(this.db, async (tx) => {
      const current = await findUser(tx, principal.orgId, id, { forUpdate: true })
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
      await deleteUser(tx, principal.orgId, id)
      return toUser(current)
    })
  }
}

/**
 * Gives the deals `fromId` owns and the tasks assigned to them, in both modes, to `toId` (another
 * user of the organization), each with its `*.updated` event in the caller's transaction.
 */
async function reassignRecords(tx: Executor, orgId: string, fromId: string, toId: string) {
  if (toId === fromId || !(await isUserOf(tx, orgId, toId))) {
    throw invalidField('reassign_to', 'Must be another user of the organization')
  }
  const deals = await reassignDeals(tx, orgId, fromId, toId)
  for (const d of deals) {
    await emit(tx, { orgId, livemode: d.livemode }, dealUpdated, { id: d.id, changes: { owner_id: toId } })
  }
  const tasks = await reassignTasks(tx, orgId, fromId, toId)
  for (const t of tasks) {
    await emit(tx, { orgId, livemode: t.livemode }, taskUpdated, { id: t.id, changes: { assignee_id: toId } })
  }
}

/** An organization that has an owner keeps one: the last owner can be neither demoted nor removed. */
async function assertAnotherOwner(tx: Executor, orgId: string, exceptId: string) {
  // Lock the organization's owners so two concurrent demotions cannot both pass.
  const owners = await lockOwners(tx, orgId)
  if (!owners.some((id) => id !== exceptId)) {
    throw new ApiError('conflict', 'This is the organization’s last owner: make another user owner first')
  }
}

function notFound(id: string) {
  return new ApiError('not_found', `User ${id} not found`)
}
