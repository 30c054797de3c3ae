import { ApiError, type ErrorDetail, invalidField } from '../../../core/errors.js'
import type { Principal, TenantScope } from '../../../core/tenancy.js'
import type { Db } from '../../../db/schema.js'
import type { FormFieldValue } from '../../../db/schema-leads.js'
import { inTransaction } from '../../../db/transaction.js'
import type { Clock } from '../../../lib/clock.js'
import { sha256Hex } from '../../../lib/crypto.js'
import { newId } from '../../../lib/ids.js'
import { emit } from '../../../outbox/emit.js'
import { findKeyByHash, publishableOrigins } from '../../api-keys/api-keys.repo.js'
import { assertFitsForm } from '../form-responses/form-data.js'
import type { FormResponsesService } from '../form-responses/form-responses.service.js'
import { type FormRow, findForm, findFormScope, findOldestFormId } from '../forms/forms.repo.js'
import { notFound } from '../forms/forms.service.js'
import { formResponseRejected } from '../leads.events.js'
import { FORM_TOKEN_TTL_MS, type FormTokens } from './form-token.js'
import type { PublicForm, SubmissionAccepted, SubmissionCreate } from './public-forms.schemas.js'

/** Names a bot is keen to fill; the honeypot is the first one the form does not use. */
const HONEYPOT_NAMES = ['website', 'url', 'homepage', 'fax', 'address2']

export function honeypotOf(fields: FormFieldValue[]): string {
  const used = new Set(fields.map((f) => f.key.toLowerCase()))
  return HONEYPOT_NAMES.find((n) => !used.has(n)) ?? `hp_${fields.length}`
}

/** A token issued in the future by more than this is not ours to trust (clock skew between processes aside). */
const FUTURE_SKEW_MS = 60_000

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '')

export interface SubmissionMeta {
  userAgent: string | undefined
  ip: string
}

/** The public side of forms: their definition for a widget, and submissions from browsers. */
export class PublicFormsService {
  constructor(
    private readonly db: Db,
    private readonly responses: FormResponsesService,
    private readonly tokens: FormTokens,
    private readonly clock: Clock,
    private readonly minFillMs: number,
  ) {}

  /** The form, or for `default` the organization's oldest form in this mode; 404 when none. */
  async resolveForm(scope: TenantScope, id: string): Promise<FormRow> {
    if (id !== 'default') {
      const row = await findForm(this.db, scope, id)
      if (!row) throw notFound(id)
      return row
    }
    const oldestId = await findOldestFormId(this.db, scope)
    const row = oldestId && (await findForm(this.db, scope, oldestId))
    if (!row) throw new ApiError('not_found', 'This organization has no form yet: create one with POST /api/v1/forms')
    return row
  }

  async definition(principal: Principal, id: string, baseUrl: string): Promise<PublicForm> {
    const form = await this.resolveForm(principal, id)
    const issuedAtMs = this.clock.nowMs()
    return {
      id: form.id,
      object: 'public_form',
      name: form.name,
      fields: form.fields.map((f) => ({
        key: f.key,
        label: f.label,
        type: f.type,
        required: f.required,
        options: f.options,
      })),
      success_message: form.success_message,
      redirect_url: form.redirect_url,
      submit_url: `${baseUrl}/api/v1/forms/${form.id}/submissions`,
      token: this.tokens.sign({ formId: form.id, keyId: principal.keyId, issuedAtMs }),
      token_expires_at: new Date(issuedAtMs + FORM_TOKEN_TTL_MS).toISOString(),
      min_fill_ms: this.minFillMs,
      honeypot: honeypotOf(form.fields),
    }
  }

  /**
   * Checks a browser submission and stores it as `POST /api/v1/form_responses` would. A filled
   * honeypot or a too-fast submission gets the same answer as a real one, but nothing is stored
   * beyond a `form_response.rejected` event.
   */
  async submit(
    principal: Principal,
    id: string,
    body: SubmissionCreate,
    meta: SubmissionMeta,
  ): Promise<SubmissionAccepted> {
    const form = await this.resolveForm(principal, id)
    const now = this.clock.nowMs()
    const claims = this.tokens.verify(body.token)
    if (
      !claims ||
      claims.formId !== form.id ||
      claims.keyId !== principal.keyId ||
      claims.issuedAtMs > now + FUTURE_SKEW_MS
    ) {
      throw invalidField('token', 'Invalid form token: fetch the form definition again for a new one')
    }
    if (now - claims.issuedAtMs > FORM_TOKEN_TTL_MS) {
      throw invalidField('token', 'The form token has expired: fetch the form definition again for a new one')
    }
    const accepted: SubmissionAccepted = {
      id: newId('formResponse'),
      status: 'created',
      success_message: form.success_message,
      redirect_url: form.redirect_url,
    }
    const honeypot = honeypotOf(form.fields)
    const trap = body.data[honeypot]
    if (!isBlank(trap) && trap !== false) return this.reject(principal, form, body.data, 'honeypot', accepted)
    if (now - claims.issuedAtMs < this.minFillMs) return this.reject(principal, form, body.data, 'too_fast', accepted)

    const data: Record<string, string | boolean | null> = { ...body.data }
    delete data[honeypot]
    const known = new Set(form.fields.map((f) => f.key))
    const unknown: ErrorDetail[] = Object.keys(data)
      .filter((k) => !known.has(k))
      .map((k) => ({ field: `data.${k}`, message: `This form has no field ${k}` }))
    if (unknown.length > 0) {
      throw new ApiError('validation_failed', `${unknown[0]!.field}: ${unknown[0]!.message}`, { details: unknown })
    }
    if (body.source_url !== undefined && !isWebUrl(body.source_url)) {
      throw invalidField('source_url', 'Must be an http or https URL')
    }
    assertFitsForm(form.fields, data, 'data')

    const emailField =
      form.fields.find((f) => f.type === 'email' && f.key === 'email') ?? form.fields.find((f) => f.type === 'email')
    if (!emailField) {
      throw invalidField('data', 'This form has no email field: add one so a submission can become a contact')
    }
    const email = data[emailField.key]
    if (typeof email !== 'string' || isBlank(email)) {
      throw invalidField(`data.${emailField.key}`, 'An email is required')
    }
    const phoneField = form.fields.find((f) => f.type === 'phone' && !isBlank(data[f.key]))
    const formData: Record<string, unknown> = Object.fromEntries(Object.entries(data).filter(([, v]) => !isBlank(v)))
    formData.email = email.trim()
    if (formData.phone === undefined && phoneField) formData.phone = data[phoneField.key]
    if (typeof formData.preferred_time === 'string' && Number.isNaN(Date.parse(formData.preferred_time))) {
      throw invalidField('data.preferred_time', 'Must be a date-time (ISO 8601)')
    }
    const acceptedAt = new Date(now).toISOString()
    const consents = form.fields
      .filter((f) => f.type === 'consent' && data[f.key] === true)
      .map((f) => ({ key: f.key, text: f.label, accepted_at: acceptedAt, source_url: body.source_url ?? null }))
    if (consents.length > 0) formData._consents = consents

    try {
      const created = await this.responses.create(principal, {
        form_response: {
          form_id: form.id,
          form_data: formData as { email: string },
          ...(body.source_url !== undefined ? { source_url: body.source_url } : {}),
          ...(meta.userAgent ? { user_agent: meta.userAgent.slice(0, 1000) } : {}),
          ip_address: meta.ip,
        },
      })
      return { ...accepted, id: created.id }
    } catch (err) {
      throw err instanceof ApiError ? inPublicTerms(err) : err
    }
  }

  /**
   * Records a refused submission as `form_response.rejected`, with the values of the form's own
   * fields (by their keys; the honeypot is not one of them), so subscribers to refusals see what was sent.
   */
  private async reject(
    scope: TenantScope,
    form: FormRow,
    data: Record<string, unknown>,
    reason: 'honeypot' | 'too_fast',
    answer: SubmissionAccepted,
  ): Promise<SubmissionAccepted> {
    const formData = Object.fromEntries(
      form.fields.filter((f) => data[f.key] !== undefined).map((f) => [f.key, data[f.key]]),
    )
    await inTransaction(this.db, (tx) =>
      emit(tx, scope, formResponseRejected, {
        form_id: form.id,
        form_name: form.name,
        form_data: formData,
        reason,
        rejected_at: new Date(this.clock.nowMs()).toISOString(),
      }),
    )
    return answer
  }

  /**
   * Whether a CORS preflight from `origin` may go ahead. A preflight carries no key header: the
   * key given in `?key=` is checked, else the allowed origins of every publishable key of the
   * form's organization and mode (a `default` form needs `?key=`).
   */
  async preflightAllowed(formId: string, key: string | undefined, origin: string): Promise<boolean> {
    const now = new Date(this.clock.nowMs())
    if (key) {
      const row = await findKeyByHash(this.db, sha256Hex(key))
      return (
        !!row &&
        row.type === 'publishable' &&
        !row.revoked_at &&
        (!row.expires_at || row.expires_at > now) &&
        row.allowed_origins.includes(origin)
      )
    }
    if (formId === 'default') return false
    const form = await findFormScope(this.db, formId)
    if (!form) return false
    return (await publishableOrigins(this.db, form.org_id, form.livemode, now)).includes(origin)
  }
}

function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:'
  } catch {
    return false
  }
}

/** An error of the form-response service, with its paths renamed to this route's body (`data.…`). */
function inPublicTerms(err: ApiError): ApiError {
  const rename = (field: string) =>
    field.startsWith('form_response.form_data.')
      ? `data.${field.slice('form_response.form_data.'.length)}`
      : field.replace(/^form_response\./, '')
  const details = err.extra.details?.map((d) => ({ ...d, field: rename(d.field) }))
  const message = details?.[0] ? `${details[0].field}: ${details[0].message}` : err.message
  return new ApiError(err.code, message, { ...err.extra, ...(details ? { details } : {}) })
}
