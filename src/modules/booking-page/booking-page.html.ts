import type { BookingPage } from '../scheduling/bookings.schemas.js'
import type { BookingAssets } from './assets.js'

/** Escapes text for HTML content and double-quoted attributes: host-provided strings are never markup. */
export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  )
}

const LOCATION_LABELS: Record<string, string> = {
  video: 'Video call',
  phone: 'Phone call',
  address: 'In person',
  text: 'Details after booking',
}

const WEEKDAYS = [
  ['Mon', 'Monday'],
  ['Tue', 'Tuesday'],
  ['Wed', 'Wednesday'],
  ['Thu', 'Thursday'],
  ['Fri', 'Friday'],
  ['Sat', 'Saturday'],
  ['Sun', 'Sunday'],
]

export function head(title: string, assets: BookingAssets): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/book/assets/page.css?v=${assets.pageCss.hash}">`
}

/**
 * The day and time picker (the script's booking-picker.ts drives it by these ids): on the booking
 * page, and on the manage page to pick a new time, hidden there until asked for.
 */
export function pickerSection(opts: { heading: string; hidden?: boolean; after?: string }): string {
  const weekdays = WEEKDAYS.map(([short, long]) => `<th scope="col" abbr="${long}">${short}</th>`).join('')
  return `<section id="picker" aria-labelledby="pick-heading"${opts.hidden ? ' hidden' : ''}>
<h2 id="pick-heading" tabindex="-1">${escapeHtml(opts.heading)}</h2>
<label for="tz">Time zone</label>
<select id="tz" name="timezone"></select>
<div class="month-nav">
<button type="button" id="prev" aria-label="Previous month">&#8249;</button>
<h3 id="month-label" aria-live="polite"></h3>
<button type="button" id="next" aria-label="Next month">&#8250;</button>
</div>
<table role="grid" id="grid" class="calendar" aria-labelledby="month-label">
<thead><tr>${weekdays}</tr></thead>
<tbody></tbody>
</table>
<h3 id="slots-heading" class="slots-heading">Pick a day to see its free times</h3>
<ul id="slots" class="slots" aria-labelledby="slots-heading"></ul>${opts.after ? `\n${opts.after}` : ''}
</section>`
}

/** The booking page: everything the server knows is rendered here; the script adds days, slots and the form. */
export function bookingPageHtml(page: BookingPage, assets: BookingAssets, opts: { embed: boolean }): string {
  const e = escapeHtml
  const location = page.location_type ? LOCATION_LABELS[page.location_type] : undefined
  return `${head(`${page.title} · ${page.host_name}`, assets)}
<script src="/book/assets/page.js?v=${assets.pageJs.hash}" defer></script>
</head>
<body${opts.embed ? ' class="embed"' : ''}>
<main id="booking" data-username="${e(page.host_username)}" data-slug="${e(page.slug)}" data-duration="${page.duration_minutes}">
<header>
<p class="host">${e(page.host_name)}</p>
<h1>${e(page.title)}</h1>
<ul class="facts">
<li>${page.duration_minutes} minutes</li>${location ? `\n<li>${e(location)}</li>` : ''}
</ul>${page.description ? `\n<p class="description">${e(page.description)}</p>` : ''}
</header>
<noscript><p>This booking page needs JavaScript to show the free times.</p></noscript>
${pickerSection({ heading: 'Pick a day and a time' })}
<section id="details" aria-labelledby="details-heading" hidden>
<h2 id="details-heading">Your details</h2>
<p id="chosen"></p>
<form id="form" novalidate>
<label for="name">Name</label>
<input id="name" name="name" autocomplete="name" maxlength="200" required aria-describedby="chosen">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="email" maxlength="254" required>
<label for="notes">Notes <span class="optional">(optional)</span></label>
<textarea id="notes" name="notes" maxlength="5000"></textarea>
<button type="submit" id="submit" class="primary">Confirm booking</button>
<button type="button" id="back" class="secondary">Back to the calendar</button>
</form>
</section>
<section id="confirmation" aria-labelledby="confirmed-heading" hidden>
<h2 id="confirmed-heading" tabindex="-1">You are booked</h2>
<p id="confirmed-when"></p>
<p><a id="ics" download>Add to your calendar (.ics)</a></p>
<p><a id="manage-link" aria-describedby="keep-link">Manage this booking</a></p>
<p id="keep-link" class="keep-link">Keep this link: it is the only way to reschedule or cancel this booking online, and it is shown only once. Bookmark it or save it with your notes.</p>
</section>
<p id="live" class="live" aria-live="polite" aria-atomic="true"></p>
</main>
</body>
</html>
`
}

/** The 404 page of an unknown host or event type (no detail on which: usernames are not enumerable by it). */
export function notFoundHtml(assets: BookingAssets): string {
  return `${head('Booking page not found', assets)}
</head>
<body>
<main class="not-found">
<h1>Booking page not found</h1>
<p>This booking link does not exist or is no longer offered. Check the link, or ask its owner for a new one.</p>
</main>
</body>
</html>
`
}
