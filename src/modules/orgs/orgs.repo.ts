import type { Plan } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'

export interface OrgRow {
  id: string
  name: string
  plan: Plan
  created_at: Date
  updated_at: Date
}

const COLUMNS = ['id', 'name', 'plan', 'created_at', 'updated_at'] as const

export async function insertOrg(db: Executor, row: { id: string; name: string; plan: Plan }): Promise<OrgRow> {
  return db.insertInto('organizations').values(row).returning(COLUMNS).executeTakeFirstOrThrow()
}

export async function findOrg(db: Executor, id: string): Promise<OrgRow | undefined> {
  return db.selectFrom('organizations').select(COLUMNS).where('id', '=', id).executeTakeFirst()
}

export async function updateOrg(
  db: Executor,
  id: string,
  patch: { name?: string; plan?: Plan },
): Promise<OrgRow | undefined> {
  return db
    .updateTable('organizations')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirst()
}

export async function listOrgs(db: Executor, opts: { limit: number; offset: number }) {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('organizations')
      .select(COLUMNS)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(opts.limit)
      .offset(opts.offset)
      .execute(),
    db
      .selectFrom('organizations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(count.n) }
}

/** The organization's plan (the one its keys' scopes are narrowed to); throws when there is none. */
export async function planOf(db: Executor, id: string): Promise<Plan> {
  const row = await db.selectFrom('organizations').select('plan').where('id', '=', id).executeTakeFirstOrThrow()
  return row.plan
}

/** Whether the organization exists. */
export async function orgExists(db: Executor, id: string): Promise<boolean> {
  return (await db.selectFrom('organizations').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
}

/** Whether the installation has any organization yet (first-run setup is over). */
export async function anyOrgExists(db: Executor): Promise<boolean> {
  return (await db.selectFrom('organizations').select('id').limit(1).executeTakeFirst()) !== undefined
}
