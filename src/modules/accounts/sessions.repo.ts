import { type Insertable, sql } from 'kysely'
import type { Executor } from '../../db/schema.js'
import type { SessionsTable } from '../../db/schema-accounts.js'
import { purgeEndedInvites } from './invites.repo.js'

export async function insertSession(executor: Executor, row: Insertable<SessionsTable>): Promise<void> {
  await executor.insertInto('sessions').values(row).execute()
}

/** The session of this token hash, unexpired at `now`, with its user (who can still sign in) and organization. */
export function findLiveSession(executor: Executor, tokenHash: string, now: Date) {
  return executor
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('organizations as o', 'o.id', 's.org_id')
    .select([
      's.id',
      's.csrf_token',
      's.expires_at',
      's.last_seen_at',
      'u.id as user_id',
      'u.name as user_name',
      'u.email',
      'u.role',
      'o.id as org_id',
      'o.name as org_name',
      'o.plan',
    ])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', now)
    .where('u.password_hash', 'is not', null)
    .executeTakeFirst()
}

export async function touchSession(executor: Executor, id: string, at: Date): Promise<void> {
  await executor.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute()
}

export async function deleteSession(executor: Executor, id: string): Promise<void> {
  await executor.deleteFrom('sessions').where('id', '=', id).execute()
}

/** Signs a user out everywhere. */
export async function deleteSessionsOf(executor: Executor, userId: string): Promise<void> {
  await executor.deleteFrom('sessions').where('user_id', '=', userId).execute()
}

/** Deletes expired sessions, and invites that ended more than 30 days ago; returns how many sessions. */
export async function purgeExpiredSessions(db: Executor): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', sql<Date>`now()`).executeTakeFirst()
  await purgeEndedInvites(db)
  return Number(result.numDeletedRows)
}
