/** A deal's exact amount ("1200.00") in the reader's locale with its currency ("$1,200.00"). */
export function formatMoney(value: string, currency: string): string {
  try {
    return Number(value).toLocaleString(undefined, { style: 'currency', currency })
  } catch {
    // An unknown currency code: the amount and the code as the API gives them.
    return `${value} ${currency}`
  }
}
