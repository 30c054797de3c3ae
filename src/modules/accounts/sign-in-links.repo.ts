import { sql } from 'kysely'
import type { Executor } from '../../db/schema.js'
import { newId } from '../../lib/ids.js'

export type LinkPurpose = 'activate' | 'reset_password'

export interface LinkUser {
  id: string
  org_id: string
  name: string
  email: string
  role: 'owner' | 'admin' | 'member'
  has_password: boolean
}

const USER_COLUMNS = [
  'u.id',
  'u.org_id',
  'u.name',
  'u.email',
  'u.role',
  sql<boolean>`u.password_hash is not null`.as('has_password'),
] as const

/** Stores a link (hashed token) and ends the user's other unused links: only the newest one works. */
export async function insertLink(
  tx: Executor,
  link: { orgId: string; userId: string; purpose: LinkPurpose; tokenHash: string; now: Date; expiresAt: Date },
): Promise<void> {
  await tx
    .updateTable('sign_in_links')
    .set({ used_at: link.now })
    .where('user_id', '=', link.userId)
    .where('used_at', 'is', null)
    .execute()
  await tx
    .insertInto('sign_in_links')
    .values({
      id: newId('signInLink'),
      org_id: link.orgId,
      user_id: link.userId,
      purpose: link.purpose,
      token_hash: link.tokenHash,
      created_at: link.now,
      expires_at: link.expiresAt,
    })
    .execute()
}

/** The unused, unexpired link with this token hash, with its user and organization (locked when `forUpdate`). */
export async function findUsableLink(executor: Executor, tokenHash: string, now: Date, forUpdate = false) {
  let q = executor
    .selectFrom('sign_in_links as l')
    .innerJoin('users as u', 'u.id', 'l.user_id')
    .innerJoin('organizations as o', 'o.id', 'l.org_id')
    .select([...USER_COLUMNS, 'l.id as link_id', 'l.purpose', 'l.expires_at', 'o.name as org_name', 'o.plan'])
    .where('l.token_hash', '=', tokenHash)
    .where('l.used_at', 'is', null)
    .where('l.expires_at', '>', now)
  if (forUpdate) q = q.forUpdate('l')
  return q.executeTakeFirst()
}

/**
 * Deletes the links that can no longer sign anyone in (used, replaced or expired by `now`); returns
 * how many. Run by the worker's housekeeping. A link is only ever looked up while usable, and every
 * unusable link gets the same answer, so nothing needs the ended rows.
 */
export async function purgeEndedSignInLinks(db: Executor, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('sign_in_links')
    .where((eb) => eb.or([eb('used_at', 'is not', null), eb('expires_at', '<=', now)]))
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

export async function markLinkUsed(tx: Executor, linkId: string, now: Date): Promise<void> {
  await tx.updateTable('sign_in_links').set({ used_at: now }).where('id', '=', linkId).execute()
}

/** A user of the organization by email (any case), locked for the caller's transaction. */
export function findUserInOrg(tx: Executor, orgId: string, email: string): Promise<LinkUser | undefined> {
  return tx
    .selectFrom('users as u')
    .select(USER_COLUMNS)
    .where('u.org_id', '=', orgId)
    .where(sql<boolean>`lower(u.email) = lower(${email})`)
    .forUpdate('u')
    .executeTakeFirst()
}

/** The user who signs in with this email (one organization per email), if any. */
export function findAccountByEmail(executor: Executor, email: string): Promise<LinkUser | undefined> {
  return executor
    .selectFrom('users as u')
    .select(USER_COLUMNS)
    .where(sql<boolean>`lower(u.email) = lower(${email})`)
    .where('u.password_hash', 'is not', null)
    .executeTakeFirst()
}

/** Sets the password (and name), and signs the user out everywhere else. */
export async function setPassword(
  tx: Executor,
  userId: string,
  change: { passwordHash: string; name?: string; now: Date },
): Promise<void> {
  await tx
    .updateTable('users')
    .set({
      password_hash: change.passwordHash,
      updated_at: change.now,
      ...(change.name === undefined ? {} : { name: change.name }),
    })
    .where('id', '=', userId)
    .execute()
  await tx.deleteFrom('sessions').where('user_id', '=', userId).execute()
}

export function updateRole(tx: Executor, userId: string, role: LinkUser['role'], now: Date) {
  return tx.updateTable('users').set({ role, updated_at: now }).where('id', '=', userId).execute()
}
