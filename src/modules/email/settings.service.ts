import type { Db } from '../../db/schema.js'
import { isoOrNull } from '../../lib/clock.js'
import { findSettings, type SettingsRow, upsertSettings } from './settings.repo.js'
import type { EmailSettings, EmailSettingsUpdate } from './settings.schemas.js'

const toSettings = (row: SettingsRow, transport: EmailSettings['transport']): EmailSettings => ({
  object: 'email_settings',
  transport,
  booking_emails: row.booking_emails,
  invite_emails: row.invite_emails,
  lead_notification_emails: row.lead_notification_emails,
  password_reset_emails: row.password_reset_emails,
  updated_at: isoOrNull(row.updated_at),
})

/** The organization's switches for Rapport's own messages (both modes share them). */
export class EmailSettingsService {
  constructor(
    private readonly db: Db,
    private readonly transport: EmailSettings['transport'],
  ) {}
  get = async (orgId: string) => toSettings(await findSettings(this.db, orgId), this.transport)
  update = async (orgId: string, patch: EmailSettingsUpdate) =>
    toSettings(await upsertSettings(this.db, orgId, patch), this.transport)
}
