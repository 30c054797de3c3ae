import { ApiError, type ErrorDetail } from '../../../core/errors.js'
import type { FormFieldValue } from '../../../db/schema-leads.js'

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const PHONE = /^\+?[0-9 ().-]+( ?(x|ext\.?) ?[0-9]+)?$/
const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '')

/** What is wrong with one value for one form field, or undefined when it fits. */
function problemWith(field: FormFieldValue, value: unknown): string | undefined {
  if (
    isBlank(value) ||
    (field.type === 'consent' && value === false) ||
    (field.type === 'checkbox' && value === false)
  ) {
    if (!field.required) return undefined
    return field.type === 'consent' ? 'Consent is required' : 'This field is required'
  }
  switch (field.type) {
    case 'checkbox':
    case 'consent':
      return typeof value === 'boolean' ? undefined : 'Must be a boolean'
    case 'select':
      return typeof value === 'string' && field.options?.includes(value)
        ? undefined
        : `Must be one of: ${(field.options ?? []).join(', ')}`
    case 'email':
      return typeof value === 'string' && EMAIL.test(value) ? undefined : 'Must be a valid email'
    case 'phone':
      return typeof value === 'string' && PHONE.test(value) ? undefined : 'Must be a valid phone number'
    default:
      return typeof value === 'string' ? undefined : 'Must be a string'
  }
}

/**
 * Throws one 422 listing every field of the form that `formData` does not satisfy (required,
 * type, select options), each named by its path under `prefix`. Fields the form does not declare
 * are kept as they are.
 */
export function assertFitsForm(fields: FormFieldValue[], formData: Record<string, unknown>, prefix: string) {
  const details: ErrorDetail[] = fields.flatMap((field) => {
    const message = problemWith(field, formData[field.key])
    return message ? [{ field: `${prefix}.${field.key}`, message }] : []
  })
  if (details.length > 0) {
    const first = details[0]!
    throw new ApiError(
      'validation_failed',
      `${first.field}: ${first.message}${details.length > 1 ? ` (and ${details.length - 1} more)` : ''}`,
      { details },
    )
  }
}
