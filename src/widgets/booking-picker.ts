/**
 * The day and time picker of the booking page, also used by the manage page to reschedule: a
 * time-zone select, a month grid of days (`role="grid"`, one tab stop, arrow keys) and the free
 * times of the picked day. It drives the elements of the server-rendered picker section (ids
 * `tz`, `grid`, `month-label`, `prev`, `next`, `slots-heading`, `slots`) and reads the slots of one
 * event type, a month at a time, from `…/slots` under `apiBase`.
 */
import { byId } from './booking-dom.js'
import {
  addDays,
  addMonths,
  browserZone,
  formatDate,
  formatTime,
  lastDayOf,
  partsOf,
  type Slot,
  todayIn,
  weekdayOf,
} from './booking-time.js'

export interface SlotPickerOptions {
  /** `/api/public/booking/:username/:slug` of the event type. */
  apiBase: string
  say(message: string): void
  onChoose(slot: Slot): void
  onZoneChange?(zone: string): void
  /** What to announce when the slots cannot be loaded (`status` 0: no answer). */
  loadErrorMessage?(status: number): string
}

export interface SlotPicker {
  /** The visitor's zone, as picked in the select (the browser's at first). */
  readonly zone: string
  /** Shows the month of today, or of `date`. */
  show(date?: string): Promise<void>
  /** Forgets the loaded slots and shows the month again (after a time was taken meanwhile). */
  reload(): Promise<void>
  /** Moves focus to the grid's one tab stop. */
  focusGrid(): void
}

class SlotsError extends Error {
  constructor(readonly status: number) {
    super(`slots: ${status}`)
  }
}

export function slotPicker(options: SlotPickerOptions): SlotPicker {
  const zoneSelect = byId<HTMLSelectElement>('tz')
  const grid = byId<HTMLTableElement>('grid')
  const gridBody = grid.tBodies[0]!
  const monthLabel = byId('month-label')
  const slotsHeading = byId('slots-heading')
  const slotsList = byId<HTMLUListElement>('slots')
  const { say } = options

  let zone = browserZone()
  /** The displayed month as 'YYYY-MM'. */
  let month = ''
  /** The day whose cell holds the grid's one tab stop, and the day picked (its slots are listed). */
  let activeDate = ''
  let selectedDate = ''
  const slotCache = new Map<string, Promise<Record<string, Slot[]>>>()

  function slotsOfMonth(ym: string): Promise<Record<string, Slot[]>> {
    const key = `${zone}|${ym}`
    let slots = slotCache.get(key)
    if (!slots) {
      const params = new URLSearchParams({ start: `${ym}-01`, end: lastDayOf(ym), timezone: zone })
      slots = fetch(`${options.apiBase}/slots?${params}`, { headers: { accept: 'application/json' } }).then(
        async (res) => {
          if (!res.ok) throw new SlotsError(res.status)
          return ((await res.json()) as { slots: Record<string, Slot[]> }).slots
        },
      )
      slots.catch(() => slotCache.delete(key))
      slotCache.set(key, slots)
    }
    return slots
  }

  const cellOf = (date: string) => gridBody.querySelector<HTMLTableCellElement>(`[data-date="${date}"]`)

  async function showMonth(ym: string, focusDate: string | undefined) {
    month = ym
    monthLabel.textContent = formatDate(`${ym}-01`, { month: 'long', year: 'numeric' })
    grid.setAttribute('aria-busy', 'true')
    let slots: Record<string, Slot[]>
    try {
      slots = await slotsOfMonth(ym)
    } catch (err) {
      const status = err instanceof SlotsError ? err.status : 0
      say(
        options.loadErrorMessage?.(status) ??
          'The free times could not be loaded. Check your connection and try again.',
      )
      grid.removeAttribute('aria-busy')
      return
    }
    if (month !== ym) return // the visitor moved on while this month loaded
    grid.removeAttribute('aria-busy')
    gridBody.replaceChildren()
    const first = `${ym}-01`
    const last = lastDayOf(ym)
    const today = todayIn(zone)
    let row = gridBody.insertRow()
    for (let i = 0; i < weekdayOf(first); i++) row.insertCell().setAttribute('role', 'gridcell')
    let firstFree = ''
    for (let date = first; date <= last; date = addDays(date, 1)) {
      if (weekdayOf(date) === 0 && date !== first) row = gridBody.insertRow()
      const cell = row.insertCell()
      const free = slots[date]?.length ?? 0
      if (free && !firstFree) firstFree = date
      cell.setAttribute('role', 'gridcell')
      cell.dataset.date = date
      cell.tabIndex = -1
      cell.textContent = String(partsOf(date)[2])
      cell.setAttribute('aria-selected', String(date === selectedDate))
      const label = formatDate(date, { weekday: 'long', month: 'long', day: 'numeric' })
      cell.setAttribute('aria-label', free ? `${label}, ${free} free ${free === 1 ? 'time' : 'times'}` : label)
      if (!free) cell.setAttribute('aria-disabled', 'true')
      if (date === today) cell.setAttribute('aria-current', 'date')
    }
    for (const r of gridBody.rows) r.setAttribute('role', 'row')
    const target =
      [focusDate, activeDate, selectedDate, firstFree, today].find((d) => d?.startsWith(ym) && cellOf(d)) ?? first
    setActive(target, focusDate !== undefined)
    renderSlots(slots)
  }

  function setActive(date: string, moveFocus: boolean) {
    const previous = cellOf(activeDate)
    if (previous) previous.tabIndex = -1
    activeDate = date
    const cell = cellOf(date)
    if (!cell) return
    cell.tabIndex = 0
    if (moveFocus) cell.focus()
  }

  async function moveTo(date: string) {
    if (date.slice(0, 7) === month) setActive(date, true)
    else await showMonth(date.slice(0, 7), date)
  }

  function selectDate(date: string) {
    const cell = cellOf(date)
    if (!cell || cell.getAttribute('aria-disabled') === 'true') return
    selectedDate = date
    for (const c of gridBody.querySelectorAll('[aria-selected="true"]')) c.setAttribute('aria-selected', 'false')
    cell.setAttribute('aria-selected', 'true')
    setActive(date, false)
    void slotsOfMonth(month).then(renderSlots)
  }

  function renderSlots(slots: Record<string, Slot[]>) {
    slotsList.replaceChildren()
    const daySlots = selectedDate.startsWith(month) ? (slots[selectedDate] ?? []) : []
    slotsHeading.textContent = daySlots.length
      ? `Free times on ${formatDate(selectedDate, { weekday: 'long', month: 'long', day: 'numeric' })}`
      : 'Pick a day to see its free times'
    for (const slot of daySlots) {
      const button = document.createElement('button')
      button.type = 'button'
      button.className = 'slot'
      button.dataset.start = slot.start
      button.textContent = formatTime(slot.start, zone)
      button.addEventListener('click', () => options.onChoose(slot))
      slotsList.appendChild(document.createElement('li')).appendChild(button)
    }
  }

  grid.addEventListener('keydown', (event) => {
    if (grid.getAttribute('aria-busy') === 'true') return event.preventDefault() // a month is loading
    const step: Record<string, () => string> = {
      ArrowLeft: () => addDays(activeDate, -1),
      ArrowRight: () => addDays(activeDate, 1),
      ArrowUp: () => addDays(activeDate, -7),
      ArrowDown: () => addDays(activeDate, 7),
      Home: () => addDays(activeDate, -weekdayOf(activeDate)),
      End: () => addDays(activeDate, 6 - weekdayOf(activeDate)),
      PageUp: () => `${addMonths(month, -1)}-01`,
      PageDown: () => `${addMonths(month, 1)}-01`,
    }
    const next = step[event.key]
    if (next) {
      event.preventDefault()
      void moveTo(next())
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault()
      selectDate(activeDate)
    }
  })
  grid.addEventListener('click', (event) => {
    const cell = (event.target as HTMLElement).closest<HTMLTableCellElement>('[data-date]')
    if (cell?.dataset.date) selectDate(cell.dataset.date)
  })
  byId('prev').addEventListener('click', () => void showMonth(addMonths(month, -1), undefined))
  byId('next').addEventListener('click', () => void showMonth(addMonths(month, 1), undefined))

  const zones: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
  if (!zones.includes(zone)) zones.unshift(zone)
  if (!zones.includes('UTC')) zones.push('UTC')
  for (const z of zones) {
    const option = document.createElement('option')
    option.value = z
    option.textContent = z.replaceAll('_', ' ')
    zoneSelect.appendChild(option)
  }
  zoneSelect.value = zone
  zoneSelect.addEventListener('change', () => {
    zone = zoneSelect.value
    slotCache.clear()
    selectedDate = ''
    options.onZoneChange?.(zone)
    void showMonth(month, undefined)
  })

  return {
    get zone() {
      return zone
    },
    show: (date) => showMonth((date ?? todayIn(zone)).slice(0, 7), undefined),
    reload: () => {
      slotCache.clear()
      return showMonth(month, selectedDate || activeDate)
    },
    focusGrid: () => cellOf(activeDate)?.focus(),
  }
}
