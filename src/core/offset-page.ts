import type { ListResult } from './pagination.js'

/** Wraps an offset-paged result (small, operator-facing lists, counted exactly) in the standard list envelope. */
export function offsetPage<T>(rows: T[], total: number, page: number, limit: number): ListResult<T> {
  return {
    data: rows,
    pagination: { page, limit, total, total_is_exact: true, has_more: page * limit < total, next_cursor: null },
  }
}
