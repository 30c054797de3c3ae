/**
 * An iCalendar (RFC 5545) file for one booking: CRLF line endings, lines folded at 75 octets
 * (never inside a UTF-8 sequence), TEXT values escaped, times in UTC (`…Z`), so no VTIMEZONE.
 */

export interface IcsBooking {
  id: string
  sequence: number
  status: 'confirmed' | 'cancelled'
  start: Date
  end: Date
  /** When the calendar data last changed (DTSTAMP for METHOD:PUBLISH is the file's creation time). */
  stamp: Date
  summary: string
  description: string | null
  location: string | null
  organizer: { name: string; email: string }
  attendee: { name: string; email: string }
}

/** `20260302T080000Z`. */
export function icsDateTime(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
}

/** Escapes a TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
}

/** A parameter value (such as CN): quoted, with the characters a quoted value cannot hold removed. */
function paramValue(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  return `"${value.replace(/["\u0000-\u001f\u007f]/g, '')}"`
}

/** Folds one content line: at most 75 octets per physical line, continuation lines start with a space. */
export function foldLine(line: string): string {
  const bytes = Buffer.from(line, 'utf8')
  if (bytes.length <= 75) return line
  const parts: string[] = []
  let start = 0
  let limit = 75
  while (start < bytes.length) {
    let end = Math.min(start + limit, bytes.length)
    // Step back off UTF-8 continuation bytes (10xxxxxx) so a character is never split.
    while (end < bytes.length && end > start && (bytes[end]! & 0xc0) === 0x80) end--
    parts.push(bytes.subarray(start, end).toString('utf8'))
    start = end
    limit = 74 // the leading space of a continuation line is one of its 75 octets
  }
  return parts.join('\r\n ')
}

export function bookingIcs(b: IcsBooking): string {
  const cancelled = b.status === 'cancelled'
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Rapport//Scheduling//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${cancelled ? 'CANCEL' : 'PUBLISH'}`,
    'BEGIN:VEVENT',
    `UID:${b.id}@rapport`,
    `DTSTAMP:${icsDateTime(b.stamp)}`,
    `SEQUENCE:${b.sequence}`,
    `DTSTART:${icsDateTime(b.start)}`,
    `DTEND:${icsDateTime(b.end)}`,
    `SUMMARY:${escapeText(b.summary)}`,
    ...(b.description ? [`DESCRIPTION:${escapeText(b.description)}`] : []),
    ...(b.location ? [`LOCATION:${escapeText(b.location)}`] : []),
    `ORGANIZER;CN=${paramValue(b.organizer.name)}:mailto:${b.organizer.email}`,
    `ATTENDEE;CN=${paramValue(b.attendee.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:${b.attendee.email}`,
    `STATUS:${cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ]
  return `${lines.map(foldLine).join('\r\n')}\r\n`
}
