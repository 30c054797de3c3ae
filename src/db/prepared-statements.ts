import type { PostgresPool, PostgresPoolClient } from 'kysely'
import type pg from 'pg'

export interface PreparedStatementOptions {
  /** Statements seen this many times are prepared from then on. Default 2: a one-off is never prepared. */
  after?: number
  /** At most this many distinct statements are prepared per process; later ones run unprepared. Default 500. */
  max?: number
}

/**
 * PostgreSQL parses, analyses and plans every unnamed statement it is sent, and for Rapport's
 * statements (a change, its event and its deliveries in one CTE) that is most of the server's work:
 * measured on the contact insert, 800 µs a round trip unnamed against 350 µs prepared. This wraps
 * the pool Kysely uses so that a statement whose text recurs becomes a named prepared statement,
 * parsed once per connection and then only bound and executed.
 *
 * Which ones: only statements with parameters (so `begin`, `commit` and multi-statement scripts,
 * which cannot be prepared, never are), from their `after`-th use on, up to `max` distinct texts
 * per process (a backend keeps each one it has prepared for the life of its connection, so the
 * set must stay bounded even if some code builds statements of many shapes).
 *
 * If a table a prepared statement reads changes shape under it (a migration run by another process
 * adds a column to a `returning *`), PostgreSQL refuses the statement once with "cached plan must
 * not change result type": that text is then never prepared again in this process, and the
 * statement is retried unprepared when it ran outside a transaction (inside one, the transaction is
 * already aborted and the error goes to the caller, like any other failed statement).
 */
export function preparingPool(pool: pg.Pool, options: PreparedStatementOptions = {}): PostgresPool {
  const after = options.after ?? 2
  const max = options.max ?? 500
  const names = new Map<string, string>()
  const seen = new Map<string, number>()
  const refused = new Set<string>()
  // Names are never reused: a connection keeps a refused statement under its old name.
  let created = 0
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>()

  function nameFor(text: string): string | undefined {
    const name = names.get(text)
    if (name !== undefined || created >= max || refused.has(text)) return name
    const count = (seen.get(text) ?? 0) + 1
    if (count < after) {
      if (seen.size >= 10 * max) seen.clear()
      seen.set(text, count)
      return undefined
    }
    seen.delete(text)
    created += 1
    names.set(text, `rapport_${created}`)
    return `rapport_${created}`
  }

  function wrap(client: pg.PoolClient): PostgresPoolClient {
    let inTransaction = false
    const query = async (text: string, values: unknown[]) => {
      const name = values.length > 0 ? nameFor(text) : undefined
      if (values.length === 0) {
        const command = text.trimStart().slice(0, 12).toLowerCase()
        if (command.startsWith('begin') || command.startsWith('start')) inTransaction = true
        else if (command.startsWith('commit') || command.startsWith('end')) inTransaction = false
        else if (command.startsWith('rollback') && !command.startsWith('rollback to')) inTransaction = false
      }
      if (name === undefined) return client.query(text, values)
      try {
        return await client.query({ name, text, values })
      } catch (err) {
        if (!(err instanceof Error) || !/cached plan must not change result type/.test(err.message)) throw err
        names.delete(text)
        refused.add(text)
        if (inTransaction) throw err
        return client.query(text, values)
      }
    }
    return {
      // Kysely passes either (text, values) or a cursor (streaming), which goes through untouched.
      query: ((textOrCursor: unknown, values?: readonly unknown[]) =>
        typeof textOrCursor === 'string'
          ? query(textOrCursor, [...(values ?? [])])
          : client.query(textOrCursor as never)) as unknown as PostgresPoolClient['query'],
      release: () => client.release(),
    }
  }

  return {
    async connect() {
      const client = await pool.connect()
      let wrapper = wrappers.get(client)
      if (!wrapper) {
        wrapper = wrap(client)
        wrappers.set(client, wrapper)
      }
      return wrapper
    },
    end: () => pool.end(),
  }
}
