/**
 * The drop-in booking widget, served as /widget/book.js (bundled by esbuild, see
 * src/modules/booking-page/assets.ts). Where its script tag stands it renders a "Book a call"
 * button that opens the booking page in a modal iframe; `RapportBooking.open({username, eventType})`
 * does the same from code. A confirmed booking is announced on `window` as the CustomEvent
 * `rapport:booking`.
 *
 * Strict-CSP friendly: no eval, no inline style attributes; the chrome is styled by constructable
 * stylesheets adopted by open shadow roots. Must stay under 5 KB gzipped (a test checks).
 */
import { WIDGET_CSS } from './book.styles.js'

interface OpenOptions {
  username: string
  eventType: string
}

interface BookingDetail {
  eventType: string
  hostName: string
  guestName: string
  guestEmail: string
  startTime: string
  duration: number
}

interface RapportBookingApi {
  open(options: OpenOptions): void
  close(): void
}

declare global {
  interface Window {
    RapportBooking?: RapportBookingApi
  }
}

const SCRIPT_PATH = '/widget/book.js'

/** The tag that loaded this file: Rapport's origin is its URL's (the widget never trusts another). */
const script = (document.currentScript ??
  document.querySelector(`script[src*="${SCRIPT_PATH}"]`)) as HTMLScriptElement | null
const rapportOrigin = script ? new URL(script.src, location.href).origin : location.origin

let sheet: CSSStyleSheet | undefined
function shadowOf(host: HTMLElement): ShadowRoot {
  const root = host.attachShadow({ mode: 'open' })
  if (!sheet) {
    sheet = new CSSStyleSheet()
    sheet.replaceSync(WIDGET_CSS)
  }
  root.adoptedStyleSheets = [sheet]
  return root
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, parent: Node): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  node.className = className
  parent.appendChild(node)
  return node
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '')

/** The one open modal, if any. */
let current: { close(): void } | undefined

function open(options: OpenOptions, opener?: HTMLElement): void {
  current?.close()
  const restoreFocus = opener ?? (document.activeElement as HTMLElement | null)
  const host = document.createElement('div')
  host.setAttribute('data-rapport-booking-modal', '')
  const root = shadowOf(host)
  el('div', 'backdrop', root).addEventListener('click', () => close())
  const dialog = el('div', 'dialog', root)
  dialog.setAttribute('role', 'dialog')
  dialog.setAttribute('aria-modal', 'true')
  dialog.setAttribute('aria-label', 'Book a call')
  // Focus trap: the sentinels send Tab from the last stop to the first and Shift+Tab the other way.
  const first = el('span', 'sentinel', dialog)
  const closeButton = el('button', 'close', dialog)
  closeButton.type = 'button'
  closeButton.setAttribute('aria-label', 'Close')
  closeButton.textContent = '\u00d7'
  closeButton.addEventListener('click', () => close())
  const frame = el('iframe', 'frame', dialog)
  frame.title = 'Booking page'
  const last = el('span', 'sentinel', dialog)
  first.tabIndex = 0
  last.tabIndex = 0
  first.addEventListener('focus', () => frame.focus())
  last.addEventListener('focus', () => closeButton.focus())

  const params = new URLSearchParams({ embed: '1' })
  // The page posts the booking to this origin only (postMessage targetOrigin): see docs/booking-widget.md.
  if (location.origin !== 'null') params.set('parent_origin', location.origin)
  frame.src = `${rapportOrigin}/book/${encodeURIComponent(options.username)}/${encodeURIComponent(options.eventType)}?${params}`

  const onMessage = (event: MessageEvent) => {
    if (event.origin !== rapportOrigin || event.source !== frame.contentWindow) return
    const data = event.data as Record<string, unknown> | null
    if (!data || typeof data !== 'object') return
    if (data.type === 'rapport:close') close()
    if (data.type === 'rapport:booking') {
      const detail: BookingDetail = {
        eventType: str(data.eventType),
        hostName: str(data.hostName),
        guestName: str(data.guestName),
        guestEmail: str(data.guestEmail),
        startTime: str(data.startTime),
        duration: typeof data.duration === 'number' ? data.duration : 0,
      }
      window.dispatchEvent(new CustomEvent('rapport:booking', { detail }))
    }
  }
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault()
      close()
    }
  }
  function close() {
    window.removeEventListener('message', onMessage)
    document.removeEventListener('keydown', onKey, true)
    host.remove()
    current = undefined
    restoreFocus?.focus()
  }
  window.addEventListener('message', onMessage)
  document.addEventListener('keydown', onKey, true)
  document.body.appendChild(host)
  current = { close }
  closeButton.focus()
}

function renderButton(tag: HTMLScriptElement): void {
  const username = tag.dataset.username
  const eventType = tag.dataset.event
  if (!username || !eventType) return
  const host = document.createElement('span')
  host.setAttribute('data-rapport-booking', '')
  const button = el('button', 'book', shadowOf(host))
  button.type = 'button'
  button.setAttribute('part', 'button')
  button.textContent = tag.dataset.label || 'Book a call'
  button.setAttribute('aria-haspopup', 'dialog')
  button.addEventListener('click', () => open({ username, eventType }, button))
  tag.parentNode?.insertBefore(host, tag)
}

window.RapportBooking ??= { open: (options) => open(options), close: () => current?.close() }
if (script) renderButton(script)
