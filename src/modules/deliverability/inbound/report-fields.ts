/**
 * The field syntax of DSNs (RFC 3464 §2.1) and feedback reports (RFC 5965 §3.1): header-like
 * `Name: value` lines, folded lines continuing with white space, groups separated by blank lines.
 * mailparser decodes the MIME parts; the fields inside a `message/delivery-status` or
 * `message/feedback-report` body are this plain syntax.
 */

/** Field names lower-cased; a repeated field keeps its first value. */
export type Fields = Map<string, string>

/** Splits a report body into its groups of fields (a DSN: the per-message group, then one per recipient). */
export function parseFieldGroups(text: string): Fields[] {
  const groups: Fields[] = []
  let current: Fields = new Map()
  let last: string | undefined
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim() === '') {
      if (current.size > 0) groups.push(current)
      current = new Map()
      last = undefined
      continue
    }
    if (/^[ \t]/.test(line)) {
      // A folded line continues the previous field.
      if (last !== undefined) current.set(last, `${current.get(last) ?? ''} ${line.trim()}`)
      continue
    }
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    if (!/^[a-z0-9-]+$/.test(name)) continue
    if (!current.has(name)) {
      current.set(name, line.slice(colon + 1).trim())
      last = name
    } else {
      last = undefined
    }
  }
  if (current.size > 0) groups.push(current)
  return groups
}

/** The header block of a returned message (`message/rfc822`) or of `text/rfc822-headers`: up to the first blank line. */
export function parseHeaderBlock(text: string): Fields {
  const head = text.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/, 1)[0] ?? ''
  return parseFieldGroups(head)[0] ?? new Map()
}

/** `rfc822; jane@example.com` → `jane@example.com`; `smtp; 550 5.1.1 …` → `550 5.1.1 …` (RFC 3464 typed fields). */
export function typedValue(value: string | undefined): string | null {
  if (value === undefined) return null
  const semicolon = value.indexOf(';')
  const out = (semicolon >= 0 ? value.slice(semicolon + 1) : value).trim()
  return out === '' ? null : out
}

/** An address field without its angle brackets and comments, lower-cased. */
export function bareAddress(value: string | null): string | null {
  if (!value) return null
  const inBrackets = /<([^<>]+)>/.exec(value)
  const address = (inBrackets ? inBrackets[1]! : value.replace(/\([^)]*\)/g, '')).trim().toLowerCase()
  return address === '' ? null : address
}

/** A Message-ID without angle brackets or surrounding space: `<a@b>` and `a@b` compare equal. */
export function bareMessageId(value: string | null | undefined): string | null {
  if (!value) return null
  const id = value.trim().replace(/^<|>$/g, '').trim()
  return id === '' ? null : id
}
