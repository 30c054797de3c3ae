/**
 * The retention purges at scale: after the events and audit log have been seeded to a size, the
 * housekeeping purges remove their oldest day of rows (up to 86,400 of each, one second apart),
 * and an empty round follows. Reported per 1,000 rows removed, so a purge whose cost grows with the
 * table shows as a growing figure. Uses the purges housekeeping runs, with a retention chosen so
 * that only the oldest day of the seed is past it.
 */
import { sql } from 'kysely'
import type { Db } from '../src/db/schema.js'
import { purgeOldAuditRows } from '../src/modules/audit/audit.repo.js'
import { purgeOldEvents } from '../src/modules/events/events.repo.js'

const DAY_MS = 86_400_000

/** Whole days between the database's now and `oldest`: a retention that leaves less than a day of rows past it. */
async function daysSince(db: Db, oldest: Date): Promise<number> {
  const now = (await sql<{ now: Date }>`select now() as now`.execute(db)).rows[0]!.now
  return Math.floor((now.getTime() - oldest.getTime()) / DAY_MS)
}

async function oldestOf(db: Db, table: 'events' | 'audit_log'): Promise<Date> {
  const column = table === 'events' ? sql`created_at` : sql`occurred_at`
  return (await sql<{ t: Date }>`select min(${column}) as t from ${sql.table(table)}`.execute(db)).rows[0]!.t
}

export interface PurgeFigures {
  /** ms per 1,000 events removed. */
  eventsPer1000: number
  /** ms per 1,000 audit rows removed. */
  auditPer1000: number
  /** ms of a round of both purges with nothing past the retention. */
  emptyRound: number
}

export async function measurePurges(db: Db): Promise<PurgeFigures> {
  const eventDays = await daysSince(db, await oldestOf(db, 'events'))
  let started = performance.now()
  const events = await purgeOldEvents(db, eventDays)
  const eventsMs = performance.now() - started
  const auditDays = await daysSince(db, await oldestOf(db, 'audit_log'))
  started = performance.now()
  const audit = await purgeOldAuditRows(db, auditDays)
  const auditMs = performance.now() - started
  if (events === 0 || audit === 0) throw new Error(`the purges removed nothing (events ${events}, audit ${audit})`)
  // A day longer: its cutoff is older than the first rounds', whose rows are gone (with the same
  // retention, the rows that have come of age since, one a second, would be removed).
  started = performance.now()
  const again = (await purgeOldEvents(db, eventDays + 1)) + (await purgeOldAuditRows(db, auditDays + 1))
  const emptyRound = performance.now() - started
  if (again !== 0) throw new Error(`a second round removed ${again} rows`)
  const round = (n: number) => Math.round(n * 10) / 10
  return {
    eventsPer1000: round((eventsMs / events) * 1000),
    auditPer1000: round((auditMs / audit) * 1000),
    emptyRound: round(emptyRound),
  }
}
