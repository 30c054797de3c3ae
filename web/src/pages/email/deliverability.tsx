import { useState } from 'preact/hooks'
import { api, type List, query } from '../../api.js'
import { shownOf } from '../../format.js'
import { useSession } from '../../session.js'
import type { Body, Item, Ok } from '../../types.js'
import {
  Badge,
  ConfirmButton,
  CopyButton,
  ErrorNote,
  Field,
  Link,
  Loading,
  Page,
  Time,
  useLoad,
  useSubmit,
} from '../../ui.js'
import './deliverability.css'
import { EmailNav } from './shared.js'

/*
 * Deliverability: the sending domains with the DNS records to publish (DKIM, SPF, DMARC), their
 * status and a DNS check; the suppressed addresses (filter, lift, add). Everything goes through the
 * public API: /api/v1/sending_domains and /api/v1/suppressions (docs/deliverability.md).
 */

type SendingDomain = Ok<'getSendingDomain'>
type DnsRecord = SendingDomain['records'][number]
type Suppression = Item<'listSuppressions'>
type SuppressionReason = Suppression['reason']

const STATUS_TONE: Record<DnsRecord['status'], 'ok' | 'bad' | 'warn' | 'neutral'> = {
  verified: 'ok',
  missing: 'bad',
  mismatch: 'bad',
  error: 'warn',
  unchecked: 'neutral',
}
const DOMAIN_TONE: Record<SendingDomain['status'], 'ok' | 'warn' | 'neutral'> = {
  verified: 'ok',
  action_required: 'warn',
  unchecked: 'neutral',
}
const REASONS: { value: SuppressionReason; label: string }[] = [
  { value: 'hard_bounce', label: 'Hard bounce' },
  { value: 'soft_bounces', label: 'Repeated soft bounces' },
  { value: 'complaint', label: 'Complaint' },
  { value: 'manual', label: 'Added by hand' },
]
const reasonLabel = (reason: SuppressionReason) => REASONS.find((r) => r.value === reason)?.label ?? reason
const PAGE_SIZE = 25
/** Domains per page: each shows its records, so fewer than the suppressions. */
const DOMAIN_PAGE = 20

export function DeliverabilityPage() {
  return (
    <Page
      title="Deliverability"
      intro="The DNS records that let receivers trust mail from your domains, and the addresses Rapport no longer mails."
    >
      <EmailNav />
      <SendingDomains />
      <Suppressions />
    </Page>
  )
}

// ---------------------------------------------------------------------------------------------
// Sending domains

function SendingDomains() {
  const [more, setMore] = useState<SendingDomain[][]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const domains = useLoad(async () => {
    const list = await api<List<SendingDomain>>('GET', `/api/v1/sending_domains${query({ limit: DOMAIN_PAGE })}`)
    setMore([])
    setCursor(list.pagination.has_more ? list.pagination.next_cursor : null)
    return list
  }, [])
  const next = useSubmit(async () => {
    const list = await api<List<SendingDomain>>(
      'GET',
      `/api/v1/sending_domains${query({ limit: DOMAIN_PAGE, cursor })}`,
    )
    setMore((pages) => [...pages, list.data])
    setCursor(list.pagination.has_more ? list.pagination.next_cursor : null)
  })
  const shown = [...(domains.data?.data ?? []), ...more.flat()]
  return (
    <section aria-labelledby="domains-title">
      <h2 id="domains-title">Sending domains</h2>
      <p class="muted">
        Rapport signs every message with the DKIM key of its sender’s domain. Publish these records at your DNS host,
        then check them.
      </p>
      <ErrorNote error={domains.error} />
      {!domains.data && !domains.error && <Loading what="sending domains" />}
      {domains.data?.data.length === 0 && (
        <p class="muted">
          No sending domain yet: <Link href="/app/email">add a sender</Link> and its domain appears here.
        </p>
      )}
      {shown.map((d) => (
        <DomainCard key={d.domain} initial={d} />
      ))}
      {cursor && (
        <button type="button" class="secondary" onClick={next.onSubmit} disabled={next.busy}>
          More domains
        </button>
      )}
      <ErrorNote error={next.error} />
    </section>
  )
}

function DomainCard(props: { initial: SendingDomain }) {
  const { isAdmin } = useSession()
  const [domain, setDomain] = useState(props.initial)
  const check = useSubmit(async () => {
    setDomain(await api<SendingDomain>('POST', `/api/v1/sending_domains/${encodeURIComponent(domain.domain)}/check`))
  })
  const titleId = `domain-${domain.domain.replace(/[^a-z0-9]/gi, '-')}`
  return (
    <article class="domain-card" aria-labelledby={titleId} data-domain={domain.domain}>
      <header class="domain-head">
        <h3 id={titleId}>{domain.domain}</h3>
        <Badge tone={DOMAIN_TONE[domain.status]}>{domain.status.replace('_', ' ')}</Badge>
        <span class="muted small">
          {domain.sender_count} sender{domain.sender_count === 1 ? '' : 's'} · checked{' '}
          <Time iso={domain.checked_at} empty="never" />
        </span>
      </header>
      <div class="domain-records">
        {domain.records.map((r) => (
          <RecordRow key={`${r.purpose}-${r.name}`} record={r} />
        ))}
      </div>
      <ErrorNote error={check.error} />
      <div class="email-actions">
        <button type="button" onClick={check.onSubmit} disabled={check.busy}>
          {check.busy ? 'Checking…' : 'Check DNS'}
        </button>
        {isAdmin && (
          <ConfirmButton
            class="secondary"
            label="Rotate DKIM key"
            title={`Rotate the DKIM key of ${domain.domain}?`}
            body={
              <p>
                A new key is made beside the current one. Publish its record and check DNS: once it is found, it signs
                and the current key stops. Keep the old record for a week for mail still in flight.
              </p>
            }
            confirmLabel="Make a new key"
            onConfirm={async () =>
              setDomain(
                await api<SendingDomain>(
                  'POST',
                  `/api/v1/sending_domains/${encodeURIComponent(domain.domain)}/rotate_dkim`,
                ),
              )
            }
          />
        )}
      </div>
    </article>
  )
}

const PURPOSE_LABEL: Record<DnsRecord['purpose'], string> = { dkim: 'DKIM', spf: 'SPF', dmarc: 'DMARC' }

function RecordRow(props: { record: DnsRecord }) {
  const r = props.record
  const label = `${PURPOSE_LABEL[r.purpose]}${r.dkim_state === 'pending' ? ' (new key)' : ''}`
  return (
    <div class="dns-record" data-purpose={r.purpose}>
      <div class="dns-record-head">
        <strong>{label}</strong> <span class="muted small">{r.type}</span>{' '}
        <Badge tone={STATUS_TONE[r.status]}>{r.status}</Badge>
      </div>
      <dl class="dns-fields">
        <div>
          <dt>Name</dt>
          <dd>
            <code class="break">{r.name}</code> <CopyButton text={r.name} label={`Copy ${label} name`} />
          </dd>
        </div>
        <div>
          <dt>Value</dt>
          <dd>
            {r.value ? (
              <>
                <code class="break dns-value">{r.value}</code>{' '}
                <CopyButton text={r.value} label={`Copy ${label} value`} />
              </>
            ) : (
              <span class="muted">Depends on your relay: see below.</span>
            )}
          </dd>
        </div>
        {r.found && r.status !== 'verified' && (
          <div>
            <dt>Found</dt>
            <dd>
              <code class="break dns-value">{r.found}</code>
            </dd>
          </div>
        )}
      </dl>
      <p class="small dns-detail">{r.detail}</p>
    </div>
  )
}

// ---------------------------------------------------------------------------------------------
// Suppressions

function Suppressions() {
  const [reason, setReason] = useState<SuppressionReason | ''>('')
  const [pages, setPages] = useState<Suppression[][]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const [round, setRound] = useState(0)
  const first = useLoad(async () => {
    const list = await api<List<Suppression>>('GET', `/api/v1/suppressions${query({ reason, limit: PAGE_SIZE })}`)
    setPages([list.data])
    setCursor(list.pagination.has_more ? list.pagination.next_cursor : null)
    return list
  }, [reason, round])
  const more = useSubmit(async () => {
    const list = await api<List<Suppression>>(
      'GET',
      `/api/v1/suppressions${query({ reason, limit: PAGE_SIZE, cursor })}`,
    )
    setPages((p) => [...p, list.data])
    setCursor(list.pagination.has_more ? list.pagination.next_cursor : null)
  })
  const rows = pages.flat()
  const reload = () => setRound((n) => n + 1)
  return (
    <section aria-labelledby="suppressions-title">
      <h2 id="suppressions-title">Suppressed addresses</h2>
      <p class="muted">
        No marketing email goes to these addresses; transactional email to them is refused unless forced.
      </p>
      <div class="filters">
        <Field label="Reason">
          {(id) => (
            <select id={id} value={reason} onChange={(e) => setReason(e.currentTarget.value as SuppressionReason | '')}>
              <option value="">Any reason</option>
              {REASONS.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ErrorNote error={first.error} />
      {first.loading && rows.length === 0 && <Loading what="suppressions" />}
      {!first.loading && rows.length === 0 && (
        <p class="muted">No suppressed address{reason ? ' for this reason' : ''}.</p>
      )}
      {rows.length > 0 && first.data && <p class="muted small">{shownOf(rows.length, first.data.pagination)}</p>}
      {rows.length > 0 && (
        <div class="email-table-wrap">
          <table class="suppressions">
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">Reason</th>
                <th scope="col">Evidence</th>
                <th scope="col">Since</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.id} data-suppression={s.email}>
                  <td class="break">{s.email}</td>
                  <td>{reasonLabel(s.reason)}</td>
                  <td class="break small">{evidenceText(s.evidence)}</td>
                  <td>
                    <Time iso={s.created_at} />
                  </td>
                  <td>
                    <ConfirmButton
                      label={
                        <>
                          Lift<span class="sr-only"> the suppression of {s.email}</span>
                        </>
                      }
                      title={`Lift the suppression of ${s.email}?`}
                      body={
                        <p>
                          Transactional email goes to this address again. Its contacts stay unsubscribed from marketing
                          until they are set subscribed with the person’s consent.
                        </p>
                      }
                      confirmLabel="Lift suppression"
                      onConfirm={async () => {
                        await api('DELETE', `/api/v1/suppressions/${encodeURIComponent(s.id)}`)
                        reload()
                      }}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <button type="button" class="secondary" onClick={more.onSubmit} disabled={more.busy}>
          Load more
        </button>
      )}
      <ErrorNote error={more.error} />
      <NewSuppression onAdded={reload} />
    </section>
  )
}

/** The evidence in a line: the SMTP reply or note first, then the other facts. */
function evidenceText(evidence: Record<string, unknown>): string {
  const first = evidence.smtp_description ?? evidence.note
  const rest = Object.entries(evidence)
    .filter(([k]) => k !== 'smtp_description' && k !== 'note')
    .map(([k, v]) => `${k.replace(/_/g, ' ')}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
  return [typeof first === 'string' ? first : undefined, ...rest].filter(Boolean).join(' · ') || '—'
}

function NewSuppression(props: { onAdded(): void }) {
  const [email, setEmail] = useState('')
  const [note, setNote] = useState('')
  const submit = useSubmit(async () => {
    const body: Body<'createSuppression'> = { email, ...(note ? { note } : {}) }
    await api('POST', '/api/v1/suppressions', body)
    setEmail('')
    setNote('')
    props.onAdded()
  })
  return (
    <form class="email-form" onSubmit={submit.onSubmit} aria-labelledby="suppress-title">
      <h3 id="suppress-title">Suppress an address</h3>
      <Field label="Address to suppress">
        {(id) => <input id={id} type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />}
      </Field>
      <Field label="Note" hint="Why, kept as the evidence (for example: asked by phone not to be emailed).">
        {(id, hint) => (
          <input id={id} aria-describedby={hint} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        )}
      </Field>
      <ErrorNote error={submit.error} />
      <div>
        <button type="submit" disabled={submit.busy}>
          Suppress address
        </button>
      </div>
    </form>
  )
}
