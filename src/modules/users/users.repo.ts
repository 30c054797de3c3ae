import { sql } from 'kysely'
import { type PageParams, paginate, type SortSpec } from '../../core/pagination.js'
import type { Role } from '../../core/tenancy.js'
import { likePattern } from '../../db/like.js'
import type { Executor, Tx } from '../../db/schema.js'
import type { UserListQuery } from './users.schemas.js'

/*
 * Users belong to an organization and are shared by its live and test mode: every function here
 * takes the organization's id, not a tenant scope.
 */

const COLUMNS = ['id', 'name', 'email', 'username', 'timezone', 'role', 'created_at', 'updated_at'] as const

export interface UserRow {
  id: string
  name: string
  email: string
  username: string
  timezone: string
  role: Role
  created_at: Date
  updated_at: Date
}

export async function findUser(
  executor: Executor,
  orgId: string,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<UserRow | undefined> {
  let q = executor.selectFrom('users').select(COLUMNS).where('org_id', '=', orgId).where('id', '=', id)
  if (opts.forUpdate) q = q.forUpdate()
  return (await q.executeTakeFirst()) as UserRow | undefined
}

/** Whether `userId` is a user of the organization. */
export async function isUserOf(executor: Executor, orgId: string, userId: string): Promise<boolean> {
  const row = await executor
    .selectFrom('users')
    .select('id')
    .where('org_id', '=', orgId)
    .where('id', '=', userId)
    .executeTakeFirst()
  return row !== undefined
}

/** A host's id and time zone, locked when asked (the lock every booking of the host takes too). */
export function findHostTimezone(
  executor: Executor,
  orgId: string,
  userId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<{ id: string; timezone: string } | undefined> {
  let q = executor.selectFrom('users').select(['id', 'timezone']).where('org_id', '=', orgId).where('id', '=', userId)
  if (opts.forUpdate) q = q.forUpdate()
  return q.executeTakeFirst()
}

/** The role of a user of the organization today, if they still are one. */
export async function findRole(executor: Executor, orgId: string, userId: string): Promise<Role | undefined> {
  const row = await executor
    .selectFrom('users')
    .select('role')
    .where('org_id', '=', orgId)
    .where('id', '=', userId)
    .executeTakeFirst()
  return row?.role
}

/** The names of the given users of the organization, by id. */
export function namesOfUsers(executor: Executor, orgId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([])
  return executor
    .selectFrom('users')
    .select(['id', 'name'])
    .where('org_id', '=', orgId)
    .where('id', 'in', ids)
    .orderBy('id')
    .execute()
}

export async function insertUser(
  executor: Executor,
  orgId: string,
  user: { id: string; name: string; email: string; username: string; timezone: string; role: Role },
): Promise<UserRow> {
  return (await executor
    .insertInto('users')
    .values({ ...user, org_id: orgId })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()) as UserRow
}

export async function updateUser(
  executor: Executor,
  orgId: string,
  id: string,
  values: Partial<Pick<UserRow, 'name' | 'email' | 'username' | 'timezone' | 'role'>>,
): Promise<UserRow> {
  return (await executor
    .updateTable('users')
    .set({ ...values, updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')` })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()) as UserRow
}

export async function deleteUser(executor: Executor, orgId: string, id: string): Promise<void> {
  await executor.deleteFrom('users').where('org_id', '=', orgId).where('id', '=', id).execute()
}

/** The ids of the organization's owners, locked so two concurrent demotions cannot both pass. */
export async function lockOwners(executor: Executor, orgId: string): Promise<string[]> {
  const rows = await executor
    .selectFrom('users')
    .select('id')
    .where('org_id', '=', orgId)
    .where('role', '=', 'owner')
    .forUpdate()
    .execute()
  return rows.map((r) => r.id)
}

export async function listUsers(executor: Executor, orgId: string, query: UserListQuery & PageParams) {
  let q = executor.selectFrom('users').where('org_id', '=', orgId)
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
  return { ...page, data: page.data as UserRow[] }
}

/** What a booking reads of its host (a user of the organization). */
export interface Host {
  id: string
  org_id: string
  name: string
  email: string
  username: string
  timezone: string
}

const HOST_COLUMNS = ['id', 'org_id', 'name', 'email', 'username', 'timezone'] as const

/** A booking page's host, by username (case-insensitively); locked when asked (the no-double-booking lock). */
export async function findHostByUsername(
  executor: Executor,
  username: string,
  opts: { forUpdate?: boolean } = {},
): Promise<Host | undefined> {
  let q = executor.selectFrom('users').select(HOST_COLUMNS).where(sql<boolean>`lower(username) = lower(${username})`)
  if (opts.forUpdate) q = q.forUpdate()
  return (await q.executeTakeFirst()) as Host | undefined
}

/** Locks a booking's host row (`select … for update`): every write that takes or moves the host's time does first. */
export async function lockHost(tx: Tx, userId: string): Promise<Host> {
  return (await tx
    .selectFrom('users')
    .select(HOST_COLUMNS)
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirstOrThrow()) as Host
}
