import { sql } from 'kysely'
import { type PageParams, paginate } from '../../core/pagination.js'
import type { Role } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'
import { NEWEST_FIRST } from '../leads/schema-parts.js'
import type { Invite } from './accounts.schemas.js'

export type InviteRow = {
  id: string
  email: string
  role: Role
  invited_by: string | null
  created_at: Date
  expires_at: Date
  accepted_at: Date | null
  revoked_at: Date | null
}

export const INVITE_COLUMNS = [
  'id',
  'email',
  'role',
  'invited_by',
  'created_at',
  'expires_at',
  'accepted_at',
  'revoked_at',
] as const

/** Whose authority an invite carries (see migration 0011). */
export interface InviteCreator {
  created_by_user_id: string | null
  created_by_operator: boolean
}

/** The user of the organization with this email, if any, with whether they can sign in yet. */
export async function findOrgUserByEmail(executor: Executor, orgId: string, email: string, forUpdate = false) {
  let q = executor
    .selectFrom('users')
    .select(['id', 'name', 'email', 'role', sql<boolean>`password_hash is not null`.as('has_password')])
    .where('org_id', '=', orgId)
    .where(sql<boolean>`lower(email) = lower(${email})`)
  if (forUpdate) q = q.forUpdate()
  return q.executeTakeFirst()
}

export function insertInvite(
  executor: Executor,
  values: {
    id: string
    org_id: string
    email: string
    role: Role
    token_hash: string
    invited_by: string | null
    created_at: Date
    expires_at: Date
  } & InviteCreator,
): Promise<InviteRow> {
  return executor.insertInto('invites').values(values).returning(INVITE_COLUMNS).executeTakeFirstOrThrow()
}

/** The organization's invites in one state, or in every state (`all`). */
export function invitesQuery(executor: Executor, orgId: string, status: Invite['status'] | 'all', now: Date) {
  const q = executor.selectFrom('invites').where('org_id', '=', orgId)
  switch (status) {
    case 'pending':
      return q.where('accepted_at', 'is', null).where('revoked_at', 'is', null).where('expires_at', '>', now)
    case 'accepted':
      return q.where('accepted_at', 'is not', null)
    case 'revoked':
      return q.where('revoked_at', 'is not', null)
    case 'expired':
      return q.where('accepted_at', 'is', null).where('revoked_at', 'is', null).where('expires_at', '<=', now)
    case 'all':
      return q
  }
}

/** A pending invite (neither accepted nor revoked; expired ones too), locked for a change. */
export function findOpenInvite(executor: Executor, orgId: string, id: string) {
  return executor
    .selectFrom('invites')
    .select(['id', 'role'])
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .forUpdate()
    .executeTakeFirst()
}

export async function markRevoked(executor: Executor, id: string, at: Date): Promise<void> {
  await executor.updateTable('invites').set({ revoked_at: at }).where('id', '=', id).execute()
}

/** The usable invite of a token hash (not accepted, revoked nor expired), with its organization. */
export function findUsableInvite(executor: Executor, tokenHash: string, now: Date, forUpdate = false) {
  let q = executor
    .selectFrom('invites as i')
    .innerJoin('organizations as o', 'o.id', 'i.org_id')
    .select([
      'i.id',
      'i.org_id',
      'i.email',
      'i.role',
      'i.expires_at',
      'i.created_by_user_id',
      'i.created_by_operator',
      'o.name as org_name',
      'o.plan',
    ])
    .where('i.token_hash', '=', tokenHash)
    .where('i.accepted_at', 'is', null)
    .where('i.revoked_at', 'is', null)
    .where('i.expires_at', '>', now)
  if (forUpdate) q = q.forUpdate('i')
  return q.executeTakeFirst()
}

export async function markAccepted(executor: Executor, id: string, userId: string, at: Date): Promise<void> {
  await executor
    .updateTable('invites')
    .set({ accepted_at: at, accepted_user_id: userId })
    .where('id', '=', id)
    .execute()
}

/** Gives a listed user (a deal owner, a booking host) a password, a name and the invited role. */
export function activateUser(
  executor: Executor,
  id: string,
  values: { name: string; passwordHash: string; role: Role; at: Date },
) {
  return executor
    .updateTable('users')
    .set({ name: values.name, password_hash: values.passwordHash, role: values.role, updated_at: values.at })
    .where('id', '=', id)
    .returning(['id', 'name', 'email', 'role'])
    .executeTakeFirstOrThrow()
}

/** Deletes the invites that ended (accepted, revoked or expired) more than 30 days ago. */
export async function purgeEndedInvites(db: Executor): Promise<void> {
  await db
    .deleteFrom('invites')
    .where(sql<boolean>`coalesce(accepted_at, revoked_at, expires_at) < now() - interval '30 days'`)
    .execute()
}

/** One page of the organization's invites with this status (at `now`), newest first. */
export function listInvites(
  executor: Executor,
  orgId: string,
  status: Invite['status'] | 'all',
  now: Date,
  page: PageParams,
) {
  return paginate(
    invitesQuery(executor, orgId, status, now),
    (qb) => qb.select(INVITE_COLUMNS),
    sql<string>`id`,
    { ...NEWEST_FIRST, expression: sql`created_at` },
    page,
  )
}
