/**
 * The script of the guest's "manage your booking" page (/book/manage/:id), served as
 * /book/assets/manage.js. The token comes from the URL fragment (`#token=…`): browsers send a
 * fragment neither to the server nor in a Referer, so it stays out of logs. The page reads the
 * booking, then lets the guest reschedule it (the booking page's picker, on the slots of the same
 * event type), cancel it (after a confirmation step) or download its .ics. Every string from the
 * server goes through textContent, never HTML.
 */
import { type ApiErrorBody, announcer, byId, errorText } from './booking-dom.js'
import { type SlotPicker, slotPicker } from './booking-picker.js'
import { browserZone, formatSpan, formatWhen, type Slot } from './booking-time.js'

interface Booking {
  id: string
  event_type: string
  event_type_title: string
  host_name: string
  host_username: string
  start_time: string
  end_time: string
  status: 'confirmed' | 'cancelled'
  location: { type: string; value: string } | null
  cancelled_at: string | null
  cancelled_by: 'guest' | 'host' | null
  cancel_reason: string | null
  ics_url: string
}

const LOCATION_LABELS: Record<string, string> = {
  video: 'Video call',
  phone: 'Phone call',
  address: 'In person',
  text: 'Details',
}

const id = byId('manage').dataset.bookingId ?? ''
const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? ''
const bookingUrl = `/api/public/bookings/${encodeURIComponent(id)}`
const say = announcer(byId('live'))

const sections = {
  loading: byId('loading'),
  notFound: byId('not-found'),
  summary: byId('summary'),
  cancel: byId('cancel-step'),
  picker: byId('picker'),
  move: byId('move-step'),
}
const cancelForm = byId<HTMLFormElement>('cancel-form')
const moveForm = byId<HTMLFormElement>('move-form')

let booking: Booking | undefined
let picker: SlotPicker | undefined
let newSlot: Slot | undefined

/** Shows one step of the page and moves focus to `focus` (its heading, or the control to return to). */
function showStep(section: HTMLElement, focus: HTMLElement) {
  for (const s of Object.values(sections)) s.hidden = s !== section
  focus.focus()
}

const zone = () => picker?.zone ?? browserZone()
const hasStarted = (b: Booking) => Date.parse(b.start_time) <= Date.now()

async function call(method: 'GET' | 'POST', url: string, body?: object): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, {
    method,
    headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  return { status: res.status, json: await res.json().catch(() => ({})) }
}

function renderLocation(target: HTMLElement, location: Booking['location']) {
  target.replaceChildren()
  if (!location) {
    target.textContent = 'Given by the host'
    return
  }
  target.append(`${LOCATION_LABELS[location.type] ?? 'Location'}: `)
  if (/^https?:\/\//i.test(location.value)) {
    const link = target.appendChild(document.createElement('a'))
    link.href = location.value
    link.rel = 'noopener noreferrer'
    link.textContent = location.value
  } else {
    target.append(location.value)
  }
}

/** Fills the summary from the booking; which actions it offers depends on its state. */
function render(b: Booking) {
  booking = b
  const cancelled = b.status === 'cancelled'
  const past = !cancelled && hasStarted(b)
  byId('summary-heading').textContent = cancelled
    ? 'This booking is cancelled'
    : past
      ? 'This booking has passed'
      : 'Your booking'
  byId('m-what').textContent = b.event_type_title
  byId('m-host').textContent = b.host_name
  byId('m-when').textContent = formatSpan(b.start_time, b.end_time, zone())
  renderLocation(byId('m-where'), b.location)
  const status = byId('m-status')
  status.textContent = cancelled ? 'Cancelled' : past ? 'Past' : 'Confirmed'
  status.dataset.status = cancelled ? 'cancelled' : past ? 'past' : 'confirmed'
  const note = byId('m-note')
  note.textContent = cancelled
    ? `Cancelled ${b.cancelled_by === 'host' ? 'by the host' : 'by you'}${b.cancelled_at ? ` on ${formatWhen(b.cancelled_at, zone())}` : ''}.${b.cancel_reason ? ` Reason: ${b.cancel_reason}` : ''} To meet, book a new time.`
    : past
      ? 'This meeting has started or is over: it can no longer be changed here. Contact the host if needed.'
      : 'Need another time? Reschedule it, or cancel it if you cannot come.'
  const ics = byId<HTMLAnchorElement>('ics')
  ics.href = b.ics_url
  ics.textContent = cancelled ? 'Remove it from your calendar (.ics)' : 'Add to your calendar (.ics)'
  byId('actions').hidden = cancelled || past
}

function showNotFound() {
  showStep(sections.notFound, byId('not-found-heading'))
}

async function load() {
  if (!token) return showNotFound()
  try {
    const { status, json } = await call('GET', `${bookingUrl}?${new URLSearchParams({ token })}`)
    if (status === 404 || status === 400) return showNotFound()
    if (status !== 200) {
      sections.loading.textContent = errorText(json as ApiErrorBody, 'Your booking could not be loaded.')
      return
    }
    render(json as Booking)
    showStep(sections.summary, byId('summary-heading'))
  } catch {
    sections.loading.textContent = 'Your booking could not be loaded. Check your connection and reload the page.'
  }
}

/** After a change, or an error saying the booking changed meanwhile: the summary, fresh. */
async function backToSummary(message: string) {
  const { status, json } = await call('GET', `${bookingUrl}?${new URLSearchParams({ token })}`)
  if (status === 404) return showNotFound()
  if (status === 200) render(json as Booking)
  showStep(sections.summary, byId('summary-heading'))
  say(message)
}

/**
 * Sends the guest's cancellation or new time with its button disabled. Success shows the fresh
 * summary and says `done`; a 404 is the not-found step; `handled` may deal with an error code
 * first; a 409 (the booking changed meanwhile) is the fresh summary with the reason.
 */
async function sendChange(change: {
  button: string
  action: 'cancel' | 'reschedule'
  body: object
  done: (updated: Booking) => string
  refused: string
  failed: string
  offline: string
  handled?: (code: string | undefined) => Promise<boolean>
}) {
  const button = byId<HTMLButtonElement>(change.button)
  button.disabled = true
  try {
    const { status, json } = await call('POST', `${bookingUrl}/${change.action}`, { token, ...change.body })
    if (status === 200) {
      render(json as Booking)
      showStep(sections.summary, byId('summary-heading'))
      return say(change.done(json as Booking))
    }
    if (status === 404) return showNotFound()
    const error = json as ApiErrorBody
    if (await change.handled?.(error.error?.code)) return
    if (status === 409) return await backToSummary(errorText(error, change.refused))
    say(errorText(error, change.failed))
  } catch {
    say(change.offline)
  } finally {
    button.disabled = false
  }
}

// ---- cancel ----
byId('cancel').addEventListener('click', () => {
  if (!booking) return
  byId('cancel-when').textContent =
    `${booking.event_type_title} with ${booking.host_name}, ${formatSpan(booking.start_time, booking.end_time, zone())}.`
  showStep(sections.cancel, byId('cancel-heading'))
})
byId('keep').addEventListener('click', () => showStep(sections.summary, byId('cancel')))
cancelForm.addEventListener('submit', (event) => {
  event.preventDefault()
  const reason = byId<HTMLTextAreaElement>('reason').value.trim()
  void sendChange({
    button: 'confirm-cancel',
    action: 'cancel',
    body: reason ? { reason } : {},
    done: () => 'Your booking is cancelled. The host has been told.',
    refused: 'This booking can no longer be cancelled.',
    failed: 'The booking could not be cancelled. Please try again.',
    offline: 'The cancellation could not be sent. Check your connection and try again.',
  })
})

// ---- reschedule ----
byId('reschedule').addEventListener('click', () => {
  if (!booking) return
  if (picker) {
    void picker.reload()
  } else {
    const page = `${encodeURIComponent(booking.host_username)}/${encodeURIComponent(booking.event_type)}`
    picker = slotPicker({
      apiBase: `/api/public/booking/${page}`,
      say,
      onChoose: chooseSlot,
      onZoneChange: () => booking && render(booking),
      loadErrorMessage: (status) =>
        status === 404
          ? 'This meeting can no longer be rescheduled online: its booking page is closed. You can still cancel it.'
          : 'The free times could not be loaded. Check your connection and try again.',
    })
    void picker.show()
  }
  showStep(sections.picker, byId('pick-heading'))
})
byId('picker-back').addEventListener('click', () => showStep(sections.summary, byId('reschedule')))

function chooseSlot(slot: Slot) {
  newSlot = slot
  if (!booking) return
  byId('move-from').textContent = formatSpan(booking.start_time, booking.end_time, zone())
  byId('move-to').textContent = formatSpan(slot.start, slot.end, zone())
  showStep(sections.move, byId('move-heading'))
}
byId('move-back').addEventListener('click', () => {
  showStep(sections.picker, byId('pick-heading'))
  picker?.focusGrid()
})
moveForm.addEventListener('submit', (event) => {
  event.preventDefault()
  if (!newSlot) return
  void sendChange({
    button: 'confirm-move',
    action: 'reschedule',
    body: { start: newSlot.start },
    done: (moved) => `Your booking is moved to ${formatWhen(moved.start_time, zone())}.`,
    refused: 'This booking can no longer be moved.',
    failed: 'The booking could not be moved. Please try again.',
    offline: 'The new time could not be sent. Check your connection and try again.',
    async handled(code) {
      if (code !== 'slot_unavailable') return false
      showStep(sections.picker, byId('pick-heading'))
      await picker?.reload()
      say('Sorry, that time was just taken. The free times are refreshed: please pick another.')
      return true
    },
  })
})

// A changed fragment (another manage link pasted into this tab) is another booking or token.
window.addEventListener('hashchange', () => location.reload())

void load()
