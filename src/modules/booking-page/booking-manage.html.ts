import type { BookingAssets } from './assets.js'
import { escapeHtml, head, pickerSection } from './booking-page.html.js'

/**
 * The guest's "manage your booking" page: a shell only. The server cannot show the booking (the
 * token is in the URL fragment, which browsers never send), so the script reads it and fills the
 * summary; each step is a section with a focusable heading.
 */
export function manageHtml(bookingId: string, assets: BookingAssets): string {
  return `${head('Manage your booking', assets)}
<script src="/book/assets/manage.js?v=${assets.manageJs.hash}" defer></script>
</head>
<body>
<main id="manage" data-booking-id="${escapeHtml(bookingId)}">
<header>
<h1>Manage your booking</h1>
</header>
<noscript><p>This page needs JavaScript to show your booking.</p></noscript>
<section id="loading">
<p>Loading your booking…</p>
</section>
<section id="not-found" aria-labelledby="not-found-heading" hidden>
<h2 id="not-found-heading" tabindex="-1">Booking not found</h2>
<p>This link is wrong or incomplete: no booking matches it. Use the full "Manage this booking" link you got when you booked, or contact the host.</p>
</section>
<section id="summary" aria-labelledby="summary-heading" hidden>
<h2 id="summary-heading" tabindex="-1">Your booking</h2>
<dl class="summary">
<dt>What</dt><dd id="m-what"></dd>
<dt>With</dt><dd id="m-host"></dd>
<dt>When</dt><dd id="m-when"></dd>
<dt>Where</dt><dd id="m-where"></dd>
<dt>Status</dt><dd id="m-status" class="status"></dd>
</dl>
<p id="m-note"></p>
<p><a id="ics" download>Add to your calendar (.ics)</a></p>
<div id="actions" class="actions">
<button type="button" id="reschedule" class="primary">Reschedule</button>
<button type="button" id="cancel" class="danger">Cancel booking</button>
</div>
</section>
<section id="cancel-step" aria-labelledby="cancel-heading" hidden>
<h2 id="cancel-heading" tabindex="-1">Cancel this booking?</h2>
<p id="cancel-when"></p>
<form id="cancel-form" novalidate>
<label for="reason">Reason <span class="optional">(optional, the host sees it)</span></label>
<textarea id="reason" name="reason" maxlength="1000"></textarea>
<button type="submit" id="confirm-cancel" class="danger">Yes, cancel the booking</button>
<button type="button" id="keep" class="secondary">No, keep it</button>
</form>
</section>
${pickerSection({
  heading: 'Pick a new time',
  hidden: true,
  after: '<button type="button" id="picker-back" class="secondary">Back to your booking</button>',
})}
<section id="move-step" aria-labelledby="move-heading" hidden>
<h2 id="move-heading" tabindex="-1">Move your booking?</h2>
<dl class="summary">
<dt>From</dt><dd id="move-from"></dd>
<dt>To</dt><dd id="move-to"></dd>
</dl>
<form id="move-form" novalidate>
<button type="submit" id="confirm-move" class="primary">Confirm the new time</button>
<button type="button" id="move-back" class="secondary">Pick another time</button>
</form>
</section>
<p id="live" class="live" aria-live="polite" aria-atomic="true"></p>
</main>
</body>
</html>
`
}
