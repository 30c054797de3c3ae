import { sql } from 'kysely'
import type { PageParams } from '../../core/pagination.js'
import { paginate } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'
import type { ImportsTable } from '../../db/schema-imports.js'

export type ImportRow = Omit<
  ImportsTable,
  'bytes' | 'rows_read' | 'created' | 'updated' | 'failed' | 'attempts' | 'created_at' | 'updated_at'
> & {
  bytes: string
  rows_read: number
  created: number
  updated: number
  failed: number
  attempts: number
  created_at: Date
  updated_at: Date
}

/** The rows of each import's error report are kept up to this many; the `failed` count stays exact. */
export const IMPORT_ERRORS_KEPT = 100_000

const scoped = (db: Executor, scope: TenantScope) =>
  db.selectFrom('imports').where('org_id', '=', scope.orgId).where('livemode', '=', scope.livemode)

export async function insertImport(
  db: Executor,
  scope: TenantScope,
  values: Pick<ImportsTable, 'id' | 'file_name' | 'sha256' | 'mapping' | 'imported_by'> & { bytes: number },
): Promise<void> {
  await db
    .insertInto('imports')
    .values({ ...values, org_id: scope.orgId, livemode: scope.livemode, status: 'receiving' })
    .execute()
}

export async function insertChunk(db: Executor, importId: string, seq: number, data: Uint8Array): Promise<void> {
  await db.insertInto('import_chunks').values({ import_id: importId, seq, data }).execute()
}

/** The stored file is complete: the job may be claimed. */
export async function markQueued(db: Executor, id: string): Promise<void> {
  await db
    .updateTable('imports')
    .set({ status: 'queued', updated_at: sql`now()` })
    .where('id', '=', id)
    .where('status', '=', 'receiving')
    .execute()
}

export async function deleteImport(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('imports').where('id', '=', id).execute()
}

export async function findImport(db: Executor, scope: TenantScope, id: string): Promise<ImportRow | undefined> {
  return (await scoped(db, scope).selectAll().where('id', '=', id).executeTakeFirst()) as ImportRow | undefined
}

/** One page, newest first. */
export async function listImports(db: Executor, scope: TenantScope, page: PageParams) {
  const result = await paginate(
    scoped(db, scope).where('status', '!=', 'receiving'),
    (qb) => qb.selectAll(),
    sql<string>`id`,
    { name: 'created_at', expression: sql`created_at`, castTo: 'timestamptz', descending: true },
    page,
  )
  return { ...result, data: result.data as unknown as ImportRow[] }
}

/** The first `limit` skipped rows of an import, in row order, after row `afterRow`. */
export async function listImportErrors(db: Executor, importId: string, afterRow: number, limit: number) {
  return db
    .selectFrom('import_errors')
    .select(['row_number', 'message'])
    .where('import_id', '=', importId)
    .where('row_number', '>', afterRow)
    .orderBy('row_number')
    .limit(limit)
    .execute()
}

/** One stored chunk of an import's file, or undefined past the last. */
export async function readChunk(db: Executor, importId: string, seq: number): Promise<Uint8Array | undefined> {
  const row = await db
    .selectFrom('import_chunks')
    .select('data')
    .where('import_id', '=', importId)
    .where('seq', '=', seq)
    .executeTakeFirst()
  return row?.data
}

/**
 * Claims the oldest queued job, or a running one whose lease has run out (its worker died), until
 * `leaseMs` after `now`. `for update skip locked`: two workers never claim one job.
 */
export async function claimImport(
  db: Executor,
  workerId: string,
  now: Date,
  leaseMs: number,
): Promise<ImportRow | undefined> {
  const result = await sql<ImportRow>`
    with due as (
      select id from imports
      where status in ('queued', 'running') and (lease_expires_at is null or lease_expires_at < ${now})
      order by created_at
      limit 1
      for update skip locked
    )
    update imports i set status = 'running', leased_by = ${workerId},
      lease_expires_at = ${new Date(now.getTime() + leaseMs)}, attempts = i.attempts + 1,
      started_at = coalesce(i.started_at, ${now}), updated_at = now()
    from due where i.id = due.id
    returning i.*`.execute(db)
  return result.rows[0]
}

/**
 * Locks the job for the caller's transaction if `workerId` still holds it: false when another
 * worker took it over (the caller then rolls back what it wrote in this transaction).
 */
export async function holdsLease(db: Executor, id: string, workerId: string): Promise<boolean> {
  const row = await db
    .selectFrom('imports')
    .select('id')
    .where('id', '=', id)
    .where('leased_by', '=', workerId)
    .where('status', '=', 'running')
    .forUpdate()
    .executeTakeFirst()
  return row !== undefined
}

/** Records a committed batch: the job's progress, its skipped rows (up to the cap), and a longer lease. */
export async function recordBatch(
  db: Executor,
  id: string,
  progress: { rowsRead: number; created: number; updated: number; errors: { row: number; message: string }[] },
  leaseExpiresAt: Date,
  failedBefore: number,
): Promise<void> {
  const room = Math.max(0, IMPORT_ERRORS_KEPT - failedBefore)
  const kept = progress.errors.slice(0, room)
  if (kept.length > 0) {
    await db
      .insertInto('import_errors')
      .values(kept.map((e) => ({ import_id: id, row_number: e.row, message: e.message })))
      .onConflict((oc) => oc.doNothing())
      .execute()
  }
  await db
    .updateTable('imports')
    .set((eb) => ({
      rows_read: progress.rowsRead,
      created: eb('created', '+', progress.created),
      updated: eb('updated', '+', progress.updated),
      failed: eb('failed', '+', progress.errors.length),
      lease_expires_at: leaseExpiresAt,
      updated_at: sql`now()`,
    }))
    .where('id', '=', id)
    .execute()
}

/** Ends the job (its file is dropped); returns the final row. */
export async function finishImport(
  db: Executor,
  id: string,
  outcome: { status: 'completed' | 'failed'; error: string | null },
  now: Date,
): Promise<ImportRow> {
  await db.deleteFrom('import_chunks').where('import_id', '=', id).execute()
  return (await db
    .updateTable('imports')
    .set({
      status: outcome.status,
      error: outcome.error,
      leased_by: null,
      lease_expires_at: null,
      finished_at: now,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()) as unknown as ImportRow
}

/** Gives a job back (graceful stop): due again at once, and the claim is not counted against it. */
export async function releaseImport(db: Executor, id: string, workerId: string): Promise<void> {
  await db
    .updateTable('imports')
    .set((eb) => ({ leased_by: null, lease_expires_at: null, attempts: eb('attempts', '-', 1) }))
    .where('id', '=', id)
    .where('leased_by', '=', workerId)
    .where('status', '=', 'running')
    .execute()
}

/**
 * Deletes finished imports (and their error reports) older than `days`, and uploads abandoned
 * while being stored (the API process died) after a day.
 */
export async function purgeOldImports(db: Executor, days: number): Promise<number> {
  const result = await sql`
    delete from imports
    where (finished_at is not null and finished_at < now() - make_interval(days => ${days}))
      or (status = 'receiving' and created_at < now() - interval '1 day')`.execute(db)
  return Number(result.numAffectedRows ?? 0)
}

/** Extends the lease of a job `workerId` holds; false when it no longer holds it. */
export async function renewLease(db: Executor, id: string, workerId: string, until: Date): Promise<boolean> {
  const result = await db
    .updateTable('imports')
    .set({ lease_expires_at: until })
    .where('id', '=', id)
    .where('leased_by', '=', workerId)
    .where('status', '=', 'running')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/**
 * Refreshes the planner's statistics of `contacts`. An import into an organization the statistics
 * have not seen yet (a new customer bringing everything) is planned as if the organization had
 * one contact: each batch's lookup by email then hashes ALL its contacts instead of probing the
 * email index 500 times, and a batch grows slower with every batch before it (measured: 160 ms
 * per 500-row batch into an unseen organization of 200,000 contacts, 44 ms once analyzed).
 * ANALYZE samples a bounded number of rows (about a second on millions) and blocks no reader or writer.
 */
export async function refreshContactStatistics(db: Executor): Promise<void> {
  await sql`analyze contacts`.execute(db)
}

/** Records the file's row count, once checked. */
export async function recordTotal(db: Executor, id: string, rowsTotal: number): Promise<void> {
  await db.updateTable('imports').set({ rows_total: rowsTotal }).where('id', '=', id).execute()
}

/** The channel that wakes import workers when a job is queued (PostgreSQL LISTEN/NOTIFY). */
export const IMPORTS_CHANNEL = 'rapport_imports'

/** Wakes the import workers listening on `IMPORTS_CHANNEL` (a job was queued). */
export async function wakeImportWorkers(db: Executor): Promise<void> {
  await sql`select pg_notify(${IMPORTS_CHANNEL}, '')`.execute(db)
}
