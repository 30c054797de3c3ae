import { sql } from 'kysely'
import type { Executor } from '../../db/schema.js'

const bump = sql<Date>`greatest(now(), updated_at + interval '1 microsecond')`

export function findProfileRow(executor: Executor, orgId: string, userId: string) {
  return executor
    .selectFrom('users')
    .select(['id', 'name', 'email', 'role', 'password_hash'])
    .where('org_id', '=', orgId)
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst()
}

export async function updateProfileRow(
  executor: Executor,
  orgId: string,
  userId: string,
  values: { name?: string; password_hash?: string },
) {
  await executor
    .updateTable('users')
    .set({ ...values, updated_at: bump })
    .where('org_id', '=', orgId)
    .where('id', '=', userId)
    .execute()
}

/** Signs the user out of every session but `keepSessionId` (after a password change). */
export async function closeOtherSessions(executor: Executor, userId: string, keepSessionId: string | undefined) {
  let q = executor.deleteFrom('sessions').where('user_id', '=', userId)
  if (keepSessionId) q = q.where('id', '<>', keepSessionId)
  await q.execute()
}

export function renameOrganization(executor: Executor, orgId: string, name: string) {
  return executor
    .updateTable('organizations')
    .set({ name })
    .where('id', '=', orgId)
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow()
}
