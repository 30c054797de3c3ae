import type { Insertable } from 'kysely'
import type { Db } from '../../db/schema.js'
import type { AuditLogTable } from '../../db/schema-accounts.js'

export type AuditRow = Insertable<AuditLogTable>

/** Rows per INSERT: 12 columns each stays far under PostgreSQL's 65,535 parameters. */
const CHUNK = 500
/** If the database is unreachable, at most this many rows wait for it; older ones are dropped (and counted). */
const MAX_PENDING = 50_000

/**
 * Records one row per authenticated API call off the request path: a request only appends to an
 * array, and a timer writes the batch with multi-row INSERTs every `flushMs` (or as soon as
 * `batchSize` rows wait). `close()` writes whatever is left, so a clean shutdown loses nothing.
 */
export class AuditRecorder {
  private pending: AuditRow[] = []
  private flushing: Promise<void> | undefined
  private readonly timer: NodeJS.Timeout
  private closed = false
  /** Rows dropped because the database was unreachable for too long. */
  dropped = 0

  constructor(
    private readonly db: Db,
    private readonly opts: { flushMs?: number; batchSize?: number; onError?: (err: unknown) => void } = {},
  ) {
    this.timer = setInterval(() => void this.flush(), opts.flushMs ?? 1000)
    this.timer.unref()
  }

  record(row: AuditRow) {
    if (this.closed) return
    this.pending.push(row)
    if (this.pending.length >= (this.opts.batchSize ?? CHUNK)) void this.flush()
  }

  /** Writes what is pending; concurrent calls share one write. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing
    if (this.pending.length === 0) return Promise.resolve()
    this.flushing = this.write().finally(() => {
      this.flushing = undefined
    })
    return this.flushing
  }

  private async write() {
    const rows = this.pending
    this.pending = []
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK)
      try {
        await this.db.insertInto('audit_log').values(chunk).execute()
      } catch (err) {
        this.opts.onError?.(err)
        // Keep the unwritten rows for the next attempt, newest last, within the cap.
        this.pending = [...rows.slice(i), ...this.pending]
        const excess = this.pending.length - MAX_PENDING
        if (excess > 0) {
          this.pending.splice(0, excess)
          this.dropped += excess
        }
        return
      }
    }
  }

  /** Stops the timer and writes everything still pending (twice at most if a write was in flight). */
  async close() {
    this.closed = true
    clearInterval(this.timer)
    await this.flushing
    await this.flush()
  }
}
