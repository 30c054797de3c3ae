import type { TenantScope } from '../../core/tenancy.js'
import type { Tx } from '../../db/schema.js'
import { newId } from '../../lib/ids.js'
import { logActivity } from '../activities/log-activity.js'
import {
  type ContactByEmailFields,
  type UpsertByEmailResult,
  upsertContactByEmail,
} from '../contacts/upsert-by-email.js'
import type { AccountEmails } from '../email/account-emails.js'
import { leadUpdated } from './leads.events.js'
import { insertNotification } from './notifications/notifications.repo.js'
import type { Notification } from './notifications/notifications.schemas.js'

export interface CaptureRecord {
  /** The timeline line, e.g. "Form submitted: Contact". */
  summary: string
  /** The visitor's message, if any: the activity's body and the notification's. */
  message: string | null
  notification: { type: Notification['type']; title: string; subjectId: string | null }
}

/**
 * What every captured lead does, in the caller's transaction: the contact (created with source
 * `lead_capture`, or completed when the email is known: `contact.created` or `lead.updated`), an
 * `other` activity on its timeline (`activity.created`), an in-app notification and, given `emails`,
 * its email to the organization's people (unless turned off).
 */
export async function captureLead(
  tx: Tx,
  scope: TenantScope,
  person: ContactByEmailFields,
  record: CaptureRecord,
  emails?: AccountEmails,
): Promise<UpsertByEmailResult> {
  const result = await upsertContactByEmail(tx, scope, person, { source: 'lead_capture', updateEvent: leadUpdated })
  const now = new Date()
  await logActivity(tx, scope, {
    id: newId('activity'),
    type: 'other',
    summary: record.summary.slice(0, 500),
    body: record.message,
    occurred_at: now,
    duration_minutes: null,
    contact_id: result.contact.id,
    deal_id: null,
    created_at: now,
    updated_at: now,
  })
  await insertNotification(tx, scope, {
    type: record.notification.type,
    title: record.notification.title.slice(0, 500),
    body: record.message,
    contact_id: result.contact.id,
    subject_id: record.notification.subjectId,
  })
  await emails?.lead(tx, scope, {
    title: record.notification.title,
    body: record.message,
    contactId: result.contact.id,
  })
  return result
}

/** The name to show for a person: their name, else their email. */
export const displayName = (person: { name?: string | null; email: string }) => person.name || person.email
