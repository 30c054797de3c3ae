/**
 * Dates and times of the booking page and the manage page. Dates are 'YYYY-MM-DD' strings whose
 * calendar arithmetic runs in UTC, so no time zone can shift them; instants are shown in the
 * visitor's zone.
 */

export interface Slot {
  start: string
  end: string
}

export const partsOf = (date: string) => date.split('-').map(Number) as [number, number, number]

export function addDays(date: string, days: number): string {
  const [y, m, d] = partsOf(date)
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}

export function addMonths(ym: string, months: number): string {
  const [y, m] = partsOf(`${ym}-01`)
  return new Date(Date.UTC(y, m - 1 + months, 1)).toISOString().slice(0, 7)
}

export const lastDayOf = (ym: string) => addDays(`${addMonths(ym, 1)}-01`, -1)

/** 0 = Monday … 6 = Sunday. */
export function weekdayOf(date: string): number {
  const [y, m, d] = partsOf(date)
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7
}

export function todayIn(timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date())
    .reduce<Record<string, string>>((acc, p) => Object.assign(acc, { [p.type]: p.value }), {})
  return `${parts.year}-${parts.month}-${parts.day}`
}

/** The browser's zone (what the visitor's clock shows), UTC when it has none. */
export const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'

export const zoneLabel = (zone: string) => zone.replaceAll('_', ' ')

/** A calendar date (not an instant): formatted at noon UTC, in UTC. */
export const formatDate = (date: string, options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`))

export const formatTime = (iso: string, zone: string) =>
  new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZone: zone }).format(new Date(iso))

export const formatWhen = (iso: string, zone: string) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short', timeZone: zone }).format(new Date(iso))

/** "Monday, March 2, 2026 at 9:00 AM – 9:30 AM (Europe/Paris)": a slot or a booking, in `zone`. */
export const formatSpan = (start: string, end: string, zone: string) =>
  `${formatWhen(start, zone)} – ${formatTime(end, zone)} (${zoneLabel(zone)})`
