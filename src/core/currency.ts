import { invalidField } from './errors.js'

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'))
const minorDigitsCache = new Map<string, number>()

/** The ISO 4217 code in upper case, or a 422 naming `field` when Node's ICU does not know it. */
export function normalizeCurrency(code: string, field = 'currency'): string {
  const upper = code.toUpperCase()
  if (!CURRENCIES.has(upper)) throw invalidField(field, `${code} is not an ISO 4217 currency code`)
  return upper
}

/**
 * An amount in minor units (cents) as a number in major units (dollars), as event payloads carry
 * money: 123456 USD → 1234.56, 500 JPY → 500. The number prints as the exact decimal for amounts of
 * up to 15 significant digits (9,999,999,999,999.99 USD); beyond, the API's integer is the exact form.
 */
export function minorToMajor(minor: number, currency: string): number {
  return Number((minor / 10 ** minorDigitsOf(currency)).toFixed(minorDigitsOf(currency)))
}

/** Digits after the decimal point that amounts in `currency` carry: 2 for USD, 0 for JPY, 3 for BHD. */
export function minorDigitsOf(currency: string): number {
  let digits = minorDigitsCache.get(currency)
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
    minorDigitsCache.set(currency, digits)
  }
  return digits
}
