/**
 * The contact-form widget's checks: the rules of the server (src/modules/leads/form-responses/form-data.ts
 * and the public submission service), with the same messages, so a visitor sees before sending what
 * the server would answer. test/form-widget-size.test.ts checks the two agree.
 */

export type FieldType = 'text' | 'email' | 'phone' | 'textarea' | 'select' | 'checkbox' | 'consent'

/** One field of a form's public definition. */
export interface FormField {
  key: string
  /** What is shown; for a consent field, the consent text the server stores with the response. */
  label: string
  type: FieldType
  required: boolean
  options: string[] | null
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const PHONE = /^\+?[0-9 ().-]+( ?(x|ext\.?) ?[0-9]+)?$/
/** The longest value a submission may carry (the server's schema). */
export const MAX_VALUE_LENGTH = 10_000

/** The field the contact's email comes from: `email` of type email, else the first email field. */
export function contactEmailKey(fields: FormField[]): string | undefined {
  return (fields.find((f) => f.type === 'email' && f.key === 'email') ?? fields.find((f) => f.type === 'email'))?.key
}

/**
 * What is wrong with one value (a trimmed string, or a checkbox's state), or undefined when it fits.
 * The contact's email field is required even when the form says otherwise: a submission without it
 * cannot become a contact.
 */
export function problemOf(field: FormField, value: string | boolean, emailKey?: string): string | undefined {
  if (value === false || value === '') {
    if (field.required) return field.type === 'consent' ? 'Consent is required' : 'This field is required'
    return field.key === emailKey && value === '' ? 'An email is required' : undefined
  }
  if (value === true) return undefined
  if (value.length > MAX_VALUE_LENGTH) return `Must be at most ${MAX_VALUE_LENGTH} characters`
  if (field.type === 'email' && !EMAIL.test(value)) return 'Must be a valid email'
  if (field.type === 'phone' && !PHONE.test(value)) return 'Must be a valid phone number'
  if (field.type === 'select' && !field.options?.includes(value)) {
    return `Must be one of: ${(field.options ?? []).join(', ')}`
  }
  return undefined
}
