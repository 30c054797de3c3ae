import { useState } from 'preact/hooks'
import { api } from '../../api.js'
import { formatDateTime } from '../../format.js'
import { Badge, ConfirmButton, ErrorNote, Field, Link, useSubmit } from '../../ui.js'
import { type EmailSettings, type Sender, senderLabel, type TransportStatus } from './shared.js'

/*
 * The transport (SMTP or the development mailbox) with a check of the SMTP server now, and the
 * senders: owners and admins add, edit (name, Reply-To, default) and delete them.
 */

export function TransportSection(props: { settings: EmailSettings | undefined; isAdmin: boolean }) {
  const [status, setStatus] = useState<TransportStatus | null>(null)
  const check = useSubmit(async () => {
    setStatus(null)
    setStatus(await api<TransportStatus>('GET', '/api/v1/email-settings/transport'))
  })
  const transport = props.settings?.transport
  return (
    <>
      <h2>Transport</h2>
      <p data-testid="email-transport">
        {transport === 'smtp' ? (
          <>
            <Badge tone="ok">SMTP</Badge> Live-mode mail goes out through the SMTP server set by{' '}
            <code>RAPPORT_SMTP_URL</code>. Test-mode mail stays in the development mailbox.
          </>
        ) : transport === 'mailbox' ? (
          <>
            <Badge tone="warn">Development mailbox</Badge> No SMTP server is configured: every message is kept in the{' '}
            <Link href="/app/email/mailbox">development mailbox</Link> and nothing leaves this machine.
          </>
        ) : (
          'Ask an admin which transport this installation uses.'
        )}
      </p>
      {props.isAdmin && transport && (
        <form class="email-actions" onSubmit={check.onSubmit} aria-label="Check the transport">
          <button type="submit" class="secondary" disabled={check.busy}>
            {check.busy ? 'Checking…' : transport === 'smtp' ? 'Check the SMTP server' : 'Check the transport'}
          </button>
          <p role="status" data-testid="transport-status" class="email-status">
            {status &&
              (status.ok ? (
                <>
                  <Badge tone="ok">Answering</Badge>{' '}
                  {status.transport === 'smtp'
                    ? `The SMTP server accepted a connection in ${status.duration_ms} ms`
                    : 'The development mailbox keeps every message'}{' '}
                  ({formatDateTime(status.checked_at)}).
                </>
              ) : (
                <>
                  <Badge tone="bad">Not answering</Badge> {status.error} ({formatDateTime(status.checked_at)}).
                </>
              ))}
          </p>
          <ErrorNote error={check.error} />
        </form>
      )}
    </>
  )
}

export function SendersSection(props: { senders: Sender[]; isAdmin: boolean; onChanged(): void }) {
  return (
    <>
      <h2>Senders</h2>
      {props.senders.length === 0 && <p class="muted">No sender yet: add the address you send from.</p>}
      <ul class="plain email-list" aria-label="Senders">
        {props.senders.map((s) => (
          <SenderItem key={`${s.id}:${s.updated_at}`} sender={s} isAdmin={props.isAdmin} onChanged={props.onChanged} />
        ))}
      </ul>
      {props.isAdmin ? (
        <NewSender onCreated={props.onChanged} />
      ) : (
        <p class="muted small">Owners and admins add and change senders.</p>
      )}
    </>
  )
}

function SenderItem(props: { sender: Sender; isAdmin: boolean; onChanged(): void }) {
  const s = props.sender
  const [editing, setEditing] = useState(false)
  return (
    <li data-testid="sender">
      <div class="email-row">
        <span>
          {senderLabel(s)} {s.is_default && <Badge tone="neutral">default</Badge>}
          {s.reply_to && <span class="muted small"> · replies to {s.reply_to}</span>}
        </span>
        {props.isAdmin && (
          <span class="email-row-actions">
            <button
              type="button"
              class="secondary small"
              aria-expanded={editing}
              aria-label={`Edit ${s.email}`}
              onClick={() => setEditing(!editing)}
            >
              Edit
            </button>
            <ConfirmButton
              label="Delete"
              title={`Delete the sender ${s.email}?`}
              body={
                <p>
                  Messages already queued still go out from it.
                  {s.is_default && ' It is the default sender: until another is made default, messages need a sender.'}
                </p>
              }
              confirmLabel="Delete sender"
              onConfirm={async () => {
                await api('DELETE', `/api/v1/senders/${s.id}`)
                props.onChanged()
              }}
            />
          </span>
        )}
      </div>
      {editing && <EditSender sender={s} onSaved={props.onChanged} />}
    </li>
  )
}

function EditSender(props: { sender: Sender; onSaved(): void }) {
  const s = props.sender
  const [name, setName] = useState(s.name ?? '')
  const [replyTo, setReplyTo] = useState(s.reply_to ?? '')
  const [isDefault, setIsDefault] = useState(s.is_default)
  const submit = useSubmit(async () => {
    await api('PATCH', `/api/v1/senders/${s.id}`, {
      name: name.trim() || null,
      reply_to: replyTo.trim() || null,
      ...(isDefault && !s.is_default ? { is_default: true } : {}),
    })
    props.onSaved()
  })
  return (
    <form class="email-form email-inset" onSubmit={submit.onSubmit} aria-label={`Edit ${s.email}`}>
      <Field label="Name shown" hint="Empty: the bare address">
        {(id, hint) => (
          <input id={id} aria-describedby={hint} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        )}
      </Field>
      <Field label="Reply-To" hint="Empty: replies go to the sender address">
        {(id, hint) => (
          <input
            id={id}
            type="email"
            aria-describedby={hint}
            value={replyTo}
            onInput={(e) => setReplyTo(e.currentTarget.value)}
          />
        )}
      </Field>
      <label class="inline-check">
        <input
          type="checkbox"
          checked={isDefault}
          disabled={s.is_default}
          onChange={(e) => setIsDefault(e.currentTarget.checked)}
        />{' '}
        Default sender {s.is_default && <span class="muted small">(make another one default to change this)</span>}
      </label>
      <ErrorNote error={submit.error} />
      <div>
        <button type="submit" disabled={submit.busy}>
          Save sender
        </button>
      </div>
    </form>
  )
}

function NewSender(props: { onCreated(): void }) {
  const [email, setEmail] = useState('')
  const [name, setName] = useState('')
  const submit = useSubmit(async () => {
    await api('POST', '/api/v1/senders', { email, ...(name ? { name } : {}) })
    setEmail('')
    setName('')
    props.onCreated()
  })
  return (
    <form class="email-form" onSubmit={submit.onSubmit} aria-label="Add a sender">
      <Field
        label="Sender address"
        hint="An address your organization owns; its domain's SPF and DKIM must allow the SMTP server."
      >
        {(id, hint) => (
          <input
            id={id}
            aria-describedby={hint}
            type="email"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field label="Sender name">
        {(id) => <input id={id} value={name} onInput={(e) => setName(e.currentTarget.value)} />}
      </Field>
      <ErrorNote error={submit.error} />
      <div>
        <button type="submit" disabled={submit.busy}>
          Add sender
        </button>
      </div>
    </form>
  )
}
