import type { TenantScope } from '../../../core/tenancy.js'
import type { Db } from '../../../db/schema.js'
import { inTransaction } from '../../../db/transaction.js'
import { assertCustomFieldsSize, toContact } from '../../contacts/contacts.service.js'
import type { AccountEmails } from '../../email/account-emails.js'
import { captureLead, displayName } from '../capture.js'
import type { CapturedLead, LeadCapture } from './lead-webhook.schemas.js'

export class LeadWebhookService {
  constructor(
    private readonly db: Db,
    private readonly emails?: AccountEmails,
  ) {}

  /** Captures a lead: the contact (created or completed), a timeline activity, a notification, the events. */
  async capture(scope: TenantScope, input: LeadCapture): Promise<CapturedLead> {
    if (input.custom_fields) assertCustomFieldsSize(input.custom_fields)
    return inTransaction(this.db, async (tx) => {
      const { contact, created } = await captureLead(
        tx,
        scope,
        {
          email: input.email,
          name: input.name ?? null,
          phone: input.phone ?? null,
          company: input.company ?? null,
          ...(input.custom_fields ? { custom_fields: input.custom_fields } : {}),
        },
        {
          summary: input.source ? `Lead captured: ${input.source}` : 'Lead captured',
          message: input.message ?? null,
          notification: { type: 'lead.captured', title: `New lead: ${displayName(input)}`, subjectId: null },
        },
        this.emails,
      )
      return { ...toContact(contact), created }
    })
  }
}
