import type { Db } from '../../db/schema.js'
import { type Clock, isoOrNull } from '../../lib/clock.js'
import { findSettings, type SettingsRow, upsertSettings } from './settings.repo.js'
import type { EmailSettings, EmailSettingsUpdate, EmailTransportStatus } from './settings.schemas.js'
import type { MailTransport } from './transport.js'

const toSettings = (row: SettingsRow, transport: EmailSettings['transport']): EmailSettings => ({
  object: 'email_settings',
  transport,
  booking_emails: row.booking_emails,
  invite_emails: row.invite_emails,
  lead_notification_emails: row.lead_notification_emails,
  password_reset_emails: row.password_reset_emails,
  updated_at: isoOrNull(row.updated_at),
})

/** How long a transport check may take: an SMTP server that does not answer is reported, not waited for. */
export const TRANSPORT_CHECK_TIMEOUT_MS = 10_000

/** The organization's switches for Rapport's own messages (both modes share them), and the transport's status. */
export class EmailSettingsService {
  constructor(
    private readonly db: Db,
    private readonly transport: Pick<MailTransport, 'kind' | 'verify'>,
    private readonly clock: Clock,
  ) {}
  get = async (orgId: string) => toSettings(await findSettings(this.db, orgId), this.transport.kind)
  update = async (orgId: string, patch: EmailSettingsUpdate) =>
    toSettings(await upsertSettings(this.db, orgId, patch), this.transport.kind)

  /** Connects to the transport now (nothing is sent), bounded by TRANSPORT_CHECK_TIMEOUT_MS. */
  async checkTransport(timeoutMs = TRANSPORT_CHECK_TIMEOUT_MS): Promise<EmailTransportStatus> {
    const startedMs = this.clock.nowMs()
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<{ ok: boolean; error?: string }>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, error: `no answer within ${timeoutMs / 1000} s` }), timeoutMs)
    })
    try {
      const result = await Promise.race([
        this.transport.verify().catch((err: unknown) => ({ ok: false, error: (err as Error).message })),
        timeout,
      ])
      const endedMs = this.clock.nowMs()
      return {
        object: 'email_transport_status',
        transport: this.transport.kind,
        ok: result.ok,
        error: result.ok ? null : (result.error ?? 'the transport did not answer'),
        duration_ms: Math.max(0, Math.round(endedMs - startedMs)),
        checked_at: new Date(endedMs).toISOString(),
      }
    } finally {
      clearTimeout(timer)
    }
  }
}
