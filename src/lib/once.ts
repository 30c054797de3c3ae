/**
 * `make`, run at most once per process while it succeeds: every caller shares its promise. A
 * failure is forgotten, so the next call tries again (a build that failed is retried on the next
 * visit rather than cached).
 */
export function onceRetrying<T>(make: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined
  return () => {
    if (!pending) {
      pending = make()
      pending.catch(() => {
        pending = undefined
      })
    }
    return pending
  }
}
