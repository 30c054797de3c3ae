import { useState } from 'preact/hooks'
import { api } from '../../api.js'
import { useSession } from '../../session.js'
import { ErrorNote, Loading, Page, Time, useLoad } from '../../ui.js'
import { EmailNav, type EmailSettings } from './shared.js'

/*
 * /app/email/settings: which of Rapport's own messages the organization sends (booking emails,
 * invites, password resets, lead notifications). Each switch saves at once (PATCH, admin scope);
 * members see them read-only.
 */

type SwitchName = 'booking_emails' | 'invite_emails' | 'password_reset_emails' | 'lead_notification_emails'

const SWITCHES: { name: SwitchName; label: string; hint: string }[] = [
  {
    name: 'booking_emails',
    label: 'Booking emails',
    hint: 'Confirmations, cancellations and reschedules to the guest and the host, with the calendar file attached.',
  },
  {
    name: 'invite_emails',
    label: 'Team invites',
    hint: 'The invite link emailed to a person invited to the organization.',
  },
  {
    name: 'password_reset_emails',
    label: 'Password reset emails',
    hint: 'The link sent when someone asks for one on the sign-in page ("Forgot your password?").',
  },
  {
    name: 'lead_notification_emails',
    label: 'Lead notifications',
    hint: 'A new lead (a form response or a lead webhook) emailed to the people of the organization.',
  },
]

export function EmailSettingsPage() {
  const { isAdmin } = useSession()
  const settings = useLoad(() => api<EmailSettings>('GET', '/api/v1/email-settings'), [])
  const [saved, setSaved] = useState<EmailSettings | null>(null)
  const [busy, setBusy] = useState<SwitchName | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [note, setNote] = useState('')
  const current = saved ?? settings.data
  const change = async (name: SwitchName, on: boolean, label: string) => {
    setBusy(name)
    setError(null)
    try {
      setSaved(await api<EmailSettings>('PATCH', '/api/v1/email-settings', { [name]: on }))
      setNote(`${label} ${on ? 'on' : 'off'}: saved.`)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(null)
    }
  }
  return (
    <Page
      title="Email settings"
      intro="Rapport's own messages, sent through the same path as every email. Each can be turned off for this organization (in live and test mode alike)."
    >
      <EmailNav />
      <ErrorNote error={settings.error ?? error} />
      {!current && !settings.error && <Loading what="email settings" />}
      {current && (
        <form class="email-form" aria-label="Rapport's own messages" onSubmit={(e) => e.preventDefault()}>
          <fieldset>
            <legend>Send these messages</legend>
            {!isAdmin && <p class="muted small">Owners and admins change these.</p>}
            {SWITCHES.map((s) => (
              <div key={s.name} class="email-switch">
                <label class="inline-check">
                  <input
                    type="checkbox"
                    role="switch"
                    aria-checked={current[s.name]}
                    aria-describedby={`${s.name}-hint`}
                    checked={current[s.name]}
                    disabled={!isAdmin || busy !== null}
                    onChange={(e) => change(s.name, e.currentTarget.checked, s.label)}
                  />{' '}
                  {s.label}
                </label>
                <p id={`${s.name}-hint`} class="hint">
                  {s.hint}
                </p>
              </div>
            ))}
          </fieldset>
          <p class="muted small">
            Last changed: <Time iso={current.updated_at} empty="never (every message is on)" />
          </p>
          <p class="muted email-status" role="status">
            {note}
          </p>
        </form>
      )}
    </Page>
  )
}
