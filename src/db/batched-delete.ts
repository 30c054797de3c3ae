import type { RawBuilder } from 'kysely'
import type { Executor } from './schema.js'

/**
 * Runs a delete of at most `batch` rows (`statement(batch)`) until one deletes fewer, and returns
 * how many rows went: each statement holds its locks briefly, whatever the number of rows to go.
 */
export async function deleteInBatches(
  db: Executor,
  batch: number,
  statement: (limit: number) => RawBuilder<unknown>,
): Promise<number> {
  let total = 0
  for (;;) {
    const result = await statement(batch).execute(db)
    const n = Number(result.numAffectedRows ?? 0)
    total += n
    if (n < batch) return total
  }
}
