import type { Db } from '../../db/schema.js'
import { type AuditRow, insertAuditRows } from './audit.repo.js'

/**
 * Rows per INSERT, and how many waiting rows start a write before the timer does: under load, rows
 * that live a few milliseconds die in V8's young generation, where rows kept for a whole second
 * would be promoted to the old one and cost full garbage collections.
 */
const CHUNK = 1000
/** How often waiting rows are written when fewer than a chunk wait. */
const FLUSH_MS = 1000
/** If the database is unreachable, at most this many rows wait for it; older ones are dropped (and counted). */
const MAX_PENDING = 50_000

/**
 * Records one row per authenticated API call off the request path: a request only appends to an
 * array, and a timer writes the batch every second (or as soon as a chunk's worth of rows
 * wait). `close()` writes whatever is left, so a clean shutdown loses nothing.
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
    private readonly opts: { onError?: (err: unknown) => void } = {},
  ) {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS)
    this.timer.unref()
  }

  record(row: AuditRow) {
    if (this.closed) return
    this.pending.push(row)
    if (this.pending.length >= CHUNK) void this.flush()
  }

  /**
   * Writes every row recorded before the call: after a write already in flight (which may have
   * started before the newest rows came), one more for what is left. One write at a time.
   */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing
    if (this.pending.length === 0) return
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
        await insertAuditRows(this.db, chunk)
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

  /** Stops the timer and writes everything still pending. */
  async close() {
    this.closed = true
    clearInterval(this.timer)
    await this.flush()
  }
}
