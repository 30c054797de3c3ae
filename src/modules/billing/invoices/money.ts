import { invalidField } from '../../../core/errors.js'
import type { StoredLineItem } from '../../../db/schema-billing.js'

/**
 * The largest amount, in minor units, that any line or total may reach: 2^53 - 1, the largest
 * integer a JSON client in JavaScript reads exactly (about 90 trillion dollars in cents).
 */
export const MAX_AMOUNT = Number.MAX_SAFE_INTEGER
const MAX = BigInt(MAX_AMOUNT)

export interface LineItemInput {
  description: string
  quantity: number
  unit_amount: number
}

/**
 * Prices the lines: each `amount` is quantity × unit_amount, the subtotal their sum. The arithmetic
 * is done on BigInt, so it is exact whatever the inputs; a line or a total beyond MAX_AMOUNT is a
 * 422 naming where it overflowed, never a rounded number.
 */
export function priceLineItems(items: readonly LineItemInput[]): {
  lineItems: StoredLineItem[]
  subtotal: number
  total: number
} {
  let subtotal = 0n
  const lineItems = items.map((item, i) => {
    const amount = BigInt(item.quantity) * BigInt(item.unit_amount)
    if (amount > MAX) {
      throw invalidField(`line_items.${i}`, `quantity × unit_amount is above the maximum amount (${MAX_AMOUNT})`)
    }
    subtotal += amount
    return {
      description: item.description,
      quantity: item.quantity,
      unit_amount: item.unit_amount,
      amount: Number(amount),
    }
  })
  if (subtotal > MAX) throw invalidField('line_items', `The total is above the maximum amount (${MAX_AMOUNT})`)
  // No taxes or discounts yet: the total is the subtotal.
  return { lineItems, subtotal: Number(subtotal), total: Number(subtotal) }
}

/** The readable invoice number for a sequence value: INV-000001; more digits once past 999999. */
export function formatInvoiceNumber(sequence: number): string {
  return `INV-${String(sequence).padStart(6, '0')}`
}
