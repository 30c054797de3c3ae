const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })

export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso))
}

export function formatDate(iso: string): string {
  return dateOnly.format(new Date(iso))
}

/** `2026-03-02T09:30` for a datetime-local input, in the browser's time zone. */
export function toLocalInput(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000)
  return local.toISOString().slice(0, 16)
}

/** An ISO instant from a datetime-local value (the browser's time zone), or undefined when empty. */
export function fromLocalInput(value: string): string | undefined {
  return value ? new Date(value).toISOString() : undefined
}

/** A list's total as a person reads it: "312", or "10,000+" when the total is a lower bound. */
export function listTotal(p: { total: number; total_is_exact: boolean }): string {
  return `${p.total.toLocaleString()}${p.total_is_exact ? '' : '+'}`
}

/** "Page 2 of 7", or "Page 2 of 200+" when the list's total is a lower bound. */
export function pageOf(page: number, p: { total: number; total_is_exact: boolean; limit: number }): string {
  const pages = Math.max(1, Math.ceil(p.total / p.limit))
  return `Page ${page} of ${pages.toLocaleString()}${p.total_is_exact ? '' : '+'}`
}

/** "Showing 25 of 312", or "of 10,000+" when the list's total is a lower bound. */
export function shownOf(shown: number, p: { total: number; total_is_exact: boolean }): string {
  return `Showing ${shown.toLocaleString()} of ${listTotal(p)}`
}

/** "97.5%" for successes over finished deliveries, or "—" when none finished. */
export function successRate(succeeded: number, failed: number): string {
  const finished = succeeded + failed
  if (finished === 0) return '—'
  const rate = (succeeded / finished) * 100
  return `${rate === 100 || rate === 0 ? rate.toFixed(0) : rate.toFixed(1)}%`
}

/** One origin per line (or comma-separated), blank lines dropped. */
export function parseLines(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter(Boolean)
}

/** A catalog group in words: `form_response` → "Form responses", `activity` → "Activities". */
export function groupTitle(group: string): string {
  const words = group.replace(/_/g, ' ')
  const plural = /[^aeiou]y$/.test(words)
    ? `${words.slice(0, -1)}ies`
    : /(s|x|ch|sh)$/.test(words)
      ? `${words}es`
      : `${words}s`
  return plural.charAt(0).toUpperCase() + plural.slice(1)
}

/** "12 ms", "0.4 ms": whole milliseconds from 10 up, tenths below. */
export function formatDuration(ms: number): string {
  return ms >= 10 ? `${Math.round(ms)} ms` : `${Math.round(ms * 10) / 10} ms`
}
