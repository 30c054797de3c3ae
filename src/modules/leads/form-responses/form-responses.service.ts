import { ApiError, invalidField } from '../../../core/errors.js'
import type { PageParams } from '../../../core/pagination.js'
import type { TenantScope } from '../../../core/tenancy.js'
import type { Db, Executor } from '../../../db/schema.js'
import { inTransaction } from '../../../db/transaction.js'
import { newId } from '../../../lib/ids.js'
import { emit } from '../../../outbox/emit.js'
import type { AccountEmails } from '../../email/account-emails.js'
import { scheduleCallback } from '../callbacks/callbacks.service.js'
import { captureLead, displayName } from '../capture.js'
import { resolveDomainId } from '../domains/domains.repo.js'
import { findForm } from '../forms/forms.repo.js'
import { formResponseCreated } from '../leads.events.js'
import { assertFitsForm } from './form-data.js'
import {
  type FormResponseRow,
  findFormResponseRows,
  insertFormResponse,
  listFormResponses,
} from './form-responses.repo.js'
import type {
  FormResponse,
  FormResponseCreate,
  FormResponseCreated,
  FormResponseListQuery,
} from './form-responses.schemas.js'

export function toFormResponse(row: FormResponseRow): FormResponse {
  return {
    id: row.id,
    object: 'form_response',
    form_id: row.form_id,
    domain_id: row.domain_id,
    lead_id: row.contact_id,
    callback_id: row.callback_id,
    form_type: row.form_type,
    form_data: row.form_data,
    source_url: row.source_url,
    user_agent: row.user_agent,
    ip_address: row.ip_address,
    created_at: row.created_at.toISOString(),
  }
}

/** Form responses of the given ids (of the scope): the timeline's hydration. */
export async function findFormResponses(db: Executor, scope: TenantScope, ids: string[]): Promise<FormResponse[]> {
  if (ids.length === 0) return []
  return (await findFormResponseRows(db, scope, ids)).map(toFormResponse)
}

/** "Contact" for the form type `contact`: the label of the timeline line when no form is named. */
const titleOf = (formType: string | undefined) =>
  formType ? formType.charAt(0).toUpperCase() + formType.slice(1).replace(/[_-]+/g, ' ') : 'Form'

export class FormResponsesService {
  constructor(
    private readonly db: Db,
    private readonly emails?: AccountEmails,
  ) {}

  /**
   * Stores a submission and turns it into a lead, in one transaction: the contact (created or
   * completed), a timeline activity, a notification, the response row, `form_response.created`,
   * and, when asked for and offered, a callback with its task.
   */
  async create(scope: TenantScope, body: FormResponseCreate): Promise<FormResponseCreated> {
    const input = body.form_response
    const data = input.form_data
    return inTransaction(this.db, async (tx) => {
      const domainId = input.domain_id === undefined ? undefined : await resolveDomainId(tx, scope, input.domain_id)
      if (input.domain_id !== undefined && domainId === undefined) {
        throw invalidField(
          'form_response.domain_id',
          `No domain "${input.domain_id.slice(0, 100)}" in this organization (give its id, dom_…, or its hostname). Add the website first with POST /api/v1/domains {"hostname":"www.example.com"}, or leave domain_id out`,
        )
      }
      const form = input.form_id === undefined ? undefined : await findForm(tx, scope, input.form_id)
      if (input.form_id !== undefined && !form) {
        throw invalidField('form_response.form_id', `No form ${input.form_id} in this organization`)
      }
      if (form) assertFitsForm(form.fields, data, 'form_response.form_data')
      const wantsCallback = data.callback_requested === true
      if (wantsCallback && form && !form.callback_enabled) {
        throw invalidField('form_response.form_data.callback_requested', 'This form does not offer callbacks')
      }
      if (wantsCallback && !data.phone) {
        throw invalidField('form_response.form_data.phone', 'A phone number is required for a callback')
      }
      const id = newId('formResponse')
      const label = form?.name ?? titleOf(input.form_type)
      const who = displayName(data)
      const { contact } = await captureLead(
        tx,
        scope,
        { email: data.email, name: data.name ?? null, phone: data.phone ?? null, company: data.company ?? null },
        {
          summary: `Form submitted: ${label}`,
          message: data.message ?? null,
          notification: { type: 'form_response.created', title: `New form response from ${who}`, subjectId: id },
        },
        this.emails,
      )
      const row = await insertFormResponse(tx, scope, {
        id,
        form_id: form?.id ?? null,
        domain_id: domainId ?? null,
        contact_id: contact.id,
        form_type: input.form_type ?? null,
        form_data: JSON.stringify(data),
        source_url: input.source_url ?? null,
        user_agent: input.user_agent ?? null,
        ip_address: input.ip_address ?? null,
      })
      const createdAt = row.created_at.toISOString()
      await emit(tx, scope, formResponseCreated, {
        id,
        lead_id: contact.id,
        form_id: form?.id ?? null,
        form_name: form?.name ?? null,
        form_data: data,
        created_at: createdAt,
      })
      if (wantsCallback) {
        await scheduleCallback(tx, scope, {
          contactId: contact.id,
          who,
          phone: data.phone!,
          preferredTime: data.preferred_time ? new Date(data.preferred_time) : null,
          formResponseId: id,
          teamId: form?.team_ids[0] ?? null,
        })
      }
      return {
        id,
        status: 'created' as const,
        lead_id: contact.id,
        callback_scheduled: wantsCallback,
        created_at: createdAt,
      }
    })
  }

  async get(scope: TenantScope, id: string): Promise<FormResponse> {
    const [found] = await findFormResponses(this.db, scope, [id])
    if (!found) throw new ApiError('not_found', `Form response ${id} not found`)
    return found
  }

  async list(scope: TenantScope, query: FormResponseListQuery & PageParams) {
    const page = await listFormResponses(this.db, scope, query)
    return { ...page, data: page.data.map(toFormResponse) }
  }
}
