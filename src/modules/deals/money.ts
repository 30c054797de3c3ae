import { minorDigitsOf } from '../../core/currency.js'
import { invalidField } from '../../core/errors.js'

/** Integer digits the `numeric(20, 4)` column holds. */
const MAX_INTEGER_DIGITS = 16
const DECIMAL = /^(\d+)(?:\.(\d+))?$/

/**
 * Parses an amount given as a JSON number or a decimal string into exact decimal text, checked
 * against the currency's minor digits. A number is read through its shortest round-trip text, so
 * 19.99 is "19.99" while 0.1 + 0.2 ("0.30000000000000004") is rejected instead of rounded.
 */
export function parseAmount(input: number | string, currency: string, field = 'value'): string {
  const text = typeof input === 'number' ? String(input) : input.trim()
  const match = DECIMAL.exec(text)
  if (!match) throw invalidField(field, 'Must be a non-negative decimal amount such as 1200.50')
  const integer = match[1]!.replace(/^0+(?=\d)/, '')
  const fraction = (match[2] ?? '').replace(/0+$/, '')
  if (integer.length > MAX_INTEGER_DIGITS) throw invalidField(field, `Must be below 10^${MAX_INTEGER_DIGITS}`)
  const digits = minorDigitsOf(currency)
  if (fraction.length > digits) {
    throw invalidField(
      field,
      digits === 0
        ? `${currency} amounts have no decimals`
        : `${currency} amounts have at most ${digits} decimal${digits === 1 ? '' : 's'}`,
    )
  }
  return fraction ? `${integer}.${fraction}` : integer
}

/** Formats exact decimal text (e.g. "1200.0000" from the database) to the currency's minor digits. */
export function formatAmount(value: string, currency: string): string {
  const digits = minorDigitsOf(currency)
  const [integer = '0', fraction = ''] = value.split('.')
  if (digits === 0) return integer
  return `${integer}.${fraction.padEnd(digits, '0').slice(0, digits)}`
}
