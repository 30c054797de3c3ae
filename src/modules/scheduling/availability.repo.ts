import { sql } from 'kysely'
import type { Executor } from '../../db/schema.js'
import type { Availability } from '../../slot-engine/index.js'

export interface StoredAvailability {
  weekly: Availability['weekly']
  overrides: NonNullable<Availability['overrides']>
  updated_at: Date | null
}

/** The host's availability as stored, or an empty one (no slots) when none was set. */
export async function loadAvailability(executor: Executor, userId: string): Promise<StoredAvailability> {
  const row = await executor
    .selectFrom('availabilities')
    .select(['weekly', 'overrides', 'updated_at'])
    .where('user_id', '=', userId)
    .executeTakeFirst()
  if (!row) return { weekly: [], overrides: [], updated_at: null }
  return row as StoredAvailability
}

/** Writes the host's availability (the first time, or over the one stored) and answers it. */
export async function saveAvailability(
  executor: Executor,
  orgId: string,
  userId: string,
  availability: Availability,
): Promise<StoredAvailability> {
  const weekly = JSON.stringify(availability.weekly)
  const overrides = JSON.stringify(availability.overrides ?? [])
  const row = await executor
    .insertInto('availabilities')
    .values({ user_id: userId, org_id: orgId, weekly, overrides })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({
        weekly,
        overrides,
        updated_at: sql`greatest(now(), availabilities.updated_at + interval '1 microsecond')`,
      }),
    )
    .returning(['weekly', 'overrides', 'updated_at'])
    .executeTakeFirstOrThrow()
  return row as StoredAvailability
}
