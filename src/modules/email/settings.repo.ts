import { sql } from 'kysely'
import type { Executor } from '../../db/schema.js'
import type { EmailSettingsUpdate } from './settings.schemas.js'

export interface SettingsRow {
  booking_emails: boolean
  invite_emails: boolean
  lead_notification_emails: boolean
  password_reset_emails: boolean
  updated_at: Date | null
}

const DEFAULTS: SettingsRow = {
  booking_emails: true,
  invite_emails: true,
  lead_notification_emails: true,
  password_reset_emails: true,
  updated_at: null,
}

/** The organization's switches; an organization that never changed them has every one on. */
export async function findSettings(db: Executor, orgId: string): Promise<SettingsRow> {
  const row = await db
    .selectFrom('email_settings')
    .select(['booking_emails', 'invite_emails', 'lead_notification_emails', 'password_reset_emails', 'updated_at'])
    .where('org_id', '=', orgId)
    .executeTakeFirst()
  return row ?? DEFAULTS
}

export async function upsertSettings(db: Executor, orgId: string, patch: EmailSettingsUpdate): Promise<SettingsRow> {
  return db
    .insertInto('email_settings')
    .values({ org_id: orgId, ...patch, updated_at: sql`now()` })
    .onConflict((oc) => oc.column('org_id').doUpdateSet({ ...patch, updated_at: sql`now()` }))
    .returning(['booking_emails', 'invite_emails', 'lead_notification_emails', 'password_reset_emails', 'updated_at'])
    .executeTakeFirstOrThrow()
}
