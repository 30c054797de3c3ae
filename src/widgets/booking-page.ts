/**
 * The script of the public booking page (/book/:username/:slug), served as /book/assets/page.js.
 * Month view of days with free slots, slots in the visitor's zone (booking-picker.ts), guest form,
 * confirmation with the link to the manage page. Every string from the server (host, title, guest
 * input) goes through textContent, never HTML.
 *
 * Embedded by the widget (`?embed=1&parent_origin=…`), it posts the confirmed booking to
 * `window.parent` with `parent_origin` as the postMessage targetOrigin: the browser delivers it
 * only to a parent of that origin, so the guest's name and email never reach another site. Without
 * a valid `parent_origin` nothing is posted. The guest's token never leaves this page but in the
 * manage link, in its fragment.
 */
import { type ApiErrorBody, announcer, byId, errorText } from './booking-dom.js'
import { slotPicker } from './booking-picker.js'
import { formatSpan, formatWhen, type Slot, zoneLabel } from './booking-time.js'

const root = byId('booking')
const username = root.dataset.username ?? ''
const slug = root.dataset.slug ?? ''
const duration = Number(root.dataset.duration)
const apiBase = `/api/public/booking/${encodeURIComponent(username)}/${encodeURIComponent(slug)}`

const query = new URLSearchParams(location.search)
const parentOrigin = validOrigin(query.get('parent_origin'))
const isEmbedded = query.get('embed') === '1' && window.parent !== window

const picker = byId('picker')
const details = byId('details')
const chosen = byId('chosen')
const form = byId<HTMLFormElement>('form')
const nameInput = byId<HTMLInputElement>('name')
const emailInput = byId<HTMLInputElement>('email')
const notesInput = byId<HTMLTextAreaElement>('notes')
const submitButton = byId<HTMLButtonElement>('submit')
const confirmation = byId('confirmation')
const say = announcer(byId('live'))

let chosenSlot: Slot | undefined

function validOrigin(value: string | null): string | undefined {
  if (!value) return undefined
  try {
    const url = new URL(value)
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value ? value : undefined
  } catch {
    return undefined
  }
}

const slots = slotPicker({ apiBase, say, onChoose: chooseSlot })

// ---- the guest form ----
function chooseSlot(slot: Slot) {
  chosenSlot = slot
  chosen.textContent = formatSpan(slot.start, slot.end, slots.zone)
  picker.hidden = true
  details.hidden = false
  nameInput.focus()
}

byId('back').addEventListener('click', () => {
  details.hidden = true
  picker.hidden = false
  slots.focusGrid()
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
  const body = { start: chosenSlot.start, guest: { name, email, timezone: slots.zone }, ...(notes ? { notes } : {}) }
  try {
    const res = await fetch(`${apiBase}/bookings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    })
    const json = (await res.json()) as ApiErrorBody & Record<string, unknown>
    if (res.ok) return showConfirmation(json)
    if (json.error?.code === 'slot_unavailable') {
      details.hidden = true
      picker.hidden = false
      await slots.reload()
      return say('Sorry, that time was just taken. Please pick another time.')
    }
    say(errorText(json, 'The booking could not be made. Please try again.'))
  } catch {
    say('The booking could not be sent. Check your connection and try again.')
  } finally {
    submitButton.disabled = false
  }
})

function showConfirmation(booking: Record<string, unknown>) {
  const start = String(booking.start_time)
  const zone = slots.zone
  details.hidden = true
  confirmation.hidden = false
  byId('confirmed-when').textContent =
    `${String(booking.event_type_title)} with ${String(booking.host_name)}, ${formatWhen(start, zone)} (${zoneLabel(zone)}).`
  byId<HTMLAnchorElement>('ics').href = String(booking.ics_url)
  // The token rides in the fragment: browsers send it neither to the server nor in a Referer.
  const manage = byId<HTMLAnchorElement>('manage-link')
  manage.href = `${location.origin}/book/manage/${encodeURIComponent(String(booking.id))}#token=${encodeURIComponent(String(booking.cancel_token))}`
  if (isEmbedded) {
    // Inside the widget's modal: open the manage page as a page of its own.
    manage.target = '_blank'
    manage.rel = 'noopener'
  }
  byId('confirmed-heading').focus()
  say(`Booking confirmed: ${formatWhen(start, zone)}.`)
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

void slots.show()
