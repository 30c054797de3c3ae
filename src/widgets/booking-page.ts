/**
 * The script of the public booking page (/book/:username/:slug), served as /book/assets/page.js.
 * Month view of days with free slots, slots in the visitor's zone, guest form, confirmation.
 * Every string from the server (host, title, guest input) goes through textContent, never HTML.
 *
 * Embedded by the widget (`?embed=1&parent_origin=…`), it posts the confirmed booking to
 * `window.parent` with `parent_origin` as the postMessage targetOrigin: the browser delivers it
 * only to a parent of that origin, so the guest's name and email never reach another site. Without
 * a valid `parent_origin` nothing is posted.
 */

interface Slot {
  start: string
  end: string
}
interface ApiError {
  error?: { code?: string; message?: string; details?: { field: string; message: string }[] }
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T
const root = $<HTMLElement>('booking')
const username = root.dataset.username ?? ''
const slug = root.dataset.slug ?? ''
const duration = Number(root.dataset.duration)
const apiBase = `/api/public/booking/${encodeURIComponent(username)}/${encodeURIComponent(slug)}`

const query = new URLSearchParams(location.search)
const parentOrigin = validOrigin(query.get('parent_origin'))
const isEmbedded = query.get('embed') === '1' && window.parent !== window

const zoneSelect = $<HTMLSelectElement>('tz')
const grid = $<HTMLTableElement>('grid')
const gridBody = grid.tBodies[0]!
const monthLabel = $('month-label')
const slotsHeading = $('slots-heading')
const slotsList = $<HTMLUListElement>('slots')
const picker = $('picker')
const details = $('details')
const chosen = $('chosen')
const form = $<HTMLFormElement>('form')
const nameInput = $<HTMLInputElement>('name')
const emailInput = $<HTMLInputElement>('email')
const notesInput = $<HTMLTextAreaElement>('notes')
const submitButton = $<HTMLButtonElement>('submit')
const confirmation = $('confirmation')
const live = $('live')

let zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
/** The displayed month as 'YYYY-MM'. */
let month = ''
/** The day whose cell holds the grid's one tab stop, and the day picked (its slots are listed). */
let activeDate = ''
let selectedDate = ''
let chosenSlot: Slot | undefined
const slotCache = new Map<string, Promise<Record<string, Slot[]>>>()

function validOrigin(value: string | null): string | undefined {
  if (!value) return undefined
  try {
    const url = new URL(value)
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value ? value : undefined
  } catch {
    return undefined
  }
}

// ---- dates as 'YYYY-MM-DD' strings (calendar arithmetic in UTC: no zone can shift them) ----
const partsOf = (date: string) => date.split('-').map(Number) as [number, number, number]
function addDays(date: string, days: number): string {
  const [y, m, d] = partsOf(date)
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}
function addMonths(ym: string, months: number): string {
  const [y, m] = partsOf(`${ym}-01`)
  return new Date(Date.UTC(y, m - 1 + months, 1)).toISOString().slice(0, 7)
}
const lastDayOf = (ym: string) => addDays(`${addMonths(ym, 1)}-01`, -1)
/** 0 = Monday … 6 = Sunday. */
function weekdayOf(date: string): number {
  const [y, m, d] = partsOf(date)
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7
}
function todayIn(timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date())
    .reduce<Record<string, string>>((acc, p) => Object.assign(acc, { [p.type]: p.value }), {})
  return `${parts.year}-${parts.month}-${parts.day}`
}
const noonUtc = (date: string) => new Date(`${date}T12:00:00Z`)
const formatDate = (date: string, options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'UTC' }).format(noonUtc(date))
const formatTime = (iso: string) =>
  new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZone: zone }).format(new Date(iso))
const formatWhen = (iso: string) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short', timeZone: zone }).format(new Date(iso))

function say(message: string) {
  live.textContent = ''
  // A new text node in the live region is announced even when the message repeats.
  requestAnimationFrame(() => {
    live.textContent = message
  })
}

// ---- time zones ----
function fillZones() {
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
    void showMonth(month, undefined)
  })
}

// ---- slots ----
function slotsOfMonth(ym: string): Promise<Record<string, Slot[]>> {
  const key = `${zone}|${ym}`
  let slots = slotCache.get(key)
  if (!slots) {
    const params = new URLSearchParams({ start: `${ym}-01`, end: lastDayOf(ym), timezone: zone })
    slots = fetch(`${apiBase}/slots?${params}`, { headers: { accept: 'application/json' } }).then(async (res) => {
      if (!res.ok) throw new Error(`slots: ${res.status}`)
      return ((await res.json()) as { slots: Record<string, Slot[]> }).slots
    })
    slots.catch(() => slotCache.delete(key))
    slotCache.set(key, slots)
  }
  return slots
}

// ---- the month grid ----
const cellOf = (date: string) => gridBody.querySelector<HTMLTableCellElement>(`[data-date="${date}"]`)

async function showMonth(ym: string, focusDate: string | undefined) {
  month = ym
  monthLabel.textContent = formatDate(`${ym}-01`, { month: 'long', year: 'numeric' })
  grid.setAttribute('aria-busy', 'true')
  let slots: Record<string, Slot[]>
  try {
    slots = await slotsOfMonth(ym)
  } catch {
    say('The free times could not be loaded. Check your connection and try again.')
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
    button.textContent = formatTime(slot.start)
    button.addEventListener('click', () => chooseSlot(slot))
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
$('prev').addEventListener('click', () => void showMonth(addMonths(month, -1), undefined))
$('next').addEventListener('click', () => void showMonth(addMonths(month, 1), undefined))

// ---- the guest form ----
function chooseSlot(slot: Slot) {
  chosenSlot = slot
  chosen.textContent = `${formatWhen(slot.start)} – ${formatTime(slot.end)} (${zone.replaceAll('_', ' ')})`
  picker.hidden = true
  details.hidden = false
  nameInput.focus()
}

$('back').addEventListener('click', () => {
  details.hidden = true
  picker.hidden = false
  cellOf(activeDate)?.focus()
})

function invalid(input: HTMLInputElement, message: string) {
  input.setAttribute('aria-invalid', 'true')
  input.focus()
  say(message)
}

form.addEventListener('submit', async (event) => {
  event.preventDefault()
  for (const input of [nameInput, emailInput]) input.removeAttribute('aria-invalid')
  const name = nameInput.value.trim()
  const email = emailInput.value.trim()
  if (!name) return invalid(nameInput, 'Please enter your name.')
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return invalid(emailInput, 'Please enter a valid email address.')
  if (!chosenSlot) return
  submitButton.disabled = true
  const notes = notesInput.value.trim()
  const body = { start: chosenSlot.start, guest: { name, email, timezone: zone }, ...(notes ? { notes } : {}) }
  try {
    const res = await fetch(`${apiBase}/bookings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    })
    const json = (await res.json()) as ApiError & Record<string, unknown>
    if (res.ok) return showConfirmation(json)
    if (json.error?.code === 'slot_unavailable') {
      slotCache.clear()
      details.hidden = true
      picker.hidden = false
      await showMonth(month, selectedDate || activeDate)
      return say('Sorry, that time was just taken. Please pick another time.')
    }
    const detailText = json.error?.details?.map((d) => `${d.field}: ${d.message}`).join('. ')
    say(detailText || json.error?.message || 'The booking could not be made. Please try again.')
  } catch {
    say('The booking could not be sent. Check your connection and try again.')
  } finally {
    submitButton.disabled = false
  }
})

function showConfirmation(booking: Record<string, unknown>) {
  const start = String(booking.start_time)
  details.hidden = true
  confirmation.hidden = false
  $('confirmed-when').textContent =
    `${String(booking.event_type_title)} with ${String(booking.host_name)}, ${formatWhen(start)} (${zone.replaceAll('_', ' ')}).`
  const ics = $<HTMLAnchorElement>('ics')
  ics.href = String(booking.ics_url)
  const heading = $('confirmed-heading')
  heading.focus()
  say(`Booking confirmed: ${formatWhen(start)}.`)
  if (isEmbedded && parentOrigin) {
    window.parent.postMessage(
      {
        type: 'rapport:booking',
        eventType: slug,
        hostName: booking.host_name,
        guestName: booking.guest_name,
        guestEmail: booking.guest_email,
        startTime: start,
        duration,
      },
      parentOrigin,
    )
  }
}

// Escape inside the embedded page closes the widget's modal (key events stay in this frame).
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && isEmbedded && parentOrigin)
    window.parent.postMessage({ type: 'rapport:close' }, parentOrigin)
})

fillZones()
void showMonth(todayIn(zone).slice(0, 7), undefined)
