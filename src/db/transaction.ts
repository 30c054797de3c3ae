import type { Db, Executor, Tx } from './schema.js'

type AfterCommit = (db: Db) => void
const pending = new WeakMap<Executor, AfterCommit[]>()

/**
 * Runs `fn` in a transaction, then, once it has committed, the callbacks registered with `onCommit`
 * (never after a rollback). Services use this instead of `db.transaction()`.
 */
export async function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  let callbacks: AfterCommit[] = []
  const result = await db.transaction().execute(async (tx) => {
    callbacks = []
    pending.set(tx, callbacks)
    return fn(tx)
  })
  for (const callback of callbacks) callback(db)
  return result
}

/**
 * Registers `callback` to run after the transaction `tx` commits. Returns false when `tx` was not
 * opened by `inTransaction` (the caller then has to do the work inside the transaction instead).
 */
export function onCommit(tx: Executor, callback: AfterCommit): boolean {
  const callbacks = pending.get(tx)
  if (!callbacks) return false
  callbacks.push(callback)
  return true
}
