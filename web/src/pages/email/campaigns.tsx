import { useState } from 'preact/hooks'
import { api, type List, query } from '../../api.js'
import { formatDateTime, listTotal, pageOf } from '../../format.js'
import { navigate } from '../../router.js'
import { Badge, ErrorNote, Field, Link, Loading, Page, useLoad, useSubmit } from '../../ui.js'
import {
  type Campaign,
  type CampaignStatus,
  type EmailList,
  EmailNav,
  firstPage,
  type Segment,
  type Sender,
  STATUS_TONE,
  senderLabel,
  type Template,
} from './shared.js'

/*
 * /app/email/campaigns: the campaigns with their state and progress, and the form that composes a
 * draft: sender, a template or own subject and HTML, an audience of any number of lists and
 * segments (the API takes up to 50 of each), tracking. The same form edits a draft (campaign.tsx).
 */

const CAMPAIGNS_PER_PAGE = 20
const CAMPAIGN_STATUSES: CampaignStatus[] = ['draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled']

export function CampaignsPage() {
  const [status, setStatus] = useState('')
  const [page, setPage] = useState(1)
  const campaigns = useLoad(
    () => api<List<Campaign>>('GET', `/api/v1/campaigns${query({ status, page, limit: CAMPAIGNS_PER_PAGE })}`),
    [status, page],
  )
  const pagination = campaigns.data?.pagination
  return (
    <Page title="Campaigns" intro="Compose a message, pick its audience, test it, then send it now or later.">
      <EmailNav />
      <div class="email-narrow">
        <Field label="Show">
          {(id) => (
            <select
              id={id}
              value={status}
              onChange={(e) => {
                setStatus(e.currentTarget.value)
                setPage(1)
              }}
            >
              <option value="">Every campaign</option>
              {CAMPAIGN_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s[0]?.toUpperCase()}
                  {s.slice(1)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ErrorNote error={campaigns.error} />
      {!campaigns.data && !campaigns.error && <Loading what="campaigns" />}
      {campaigns.data?.data.length === 0 && (
        <p class="muted">{status ? `No ${status} campaign.` : 'No campaign yet.'}</p>
      )}
      <ul class="plain email-list" aria-label="Campaigns">
        {campaigns.data?.data.map((c) => (
          <li key={c.id}>
            <Link href={`/app/email/campaigns/${c.id}`}>{c.name}</Link>{' '}
            <Badge tone={STATUS_TONE[c.status]}>{c.status}</Badge>{' '}
            <span class="muted small">
              {c.status === 'draft'
                ? `created ${formatDateTime(c.created_at)}`
                : c.status === 'scheduled' && c.scheduled_at
                  ? `sends ${formatDateTime(c.scheduled_at)}`
                  : `${c.stats.sent} sent of ${c.stats.recipients}`}
            </span>
          </li>
        ))}
      </ul>
      {pagination && (page > 1 || pagination.has_more) && (
        <div class="email-pager">
          <button type="button" class="secondary small" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            Previous
          </button>
          <span class="muted small">
            {pageOf(pagination.page ?? page, pagination)} · {listTotal(pagination)} campaigns
          </span>
          <button
            type="button"
            class="secondary small"
            disabled={!pagination.has_more}
            onClick={() => setPage(page + 1)}
          >
            Next
          </button>
        </div>
      )}
      <h2>New campaign</h2>
      <CampaignForm onSaved={(c) => navigate(`/app/email/campaigns/${c.id}`)} />
    </Page>
  )
}

/** Senders, templates and audiences to choose from. */
function useChoices() {
  return useLoad(async () => {
    const [senders, templates, lists, segments] = await Promise.all([
      firstPage<Sender>('/api/v1/senders'),
      firstPage<Template>('/api/v1/email-templates'),
      firstPage<EmailList>('/api/v1/email-lists'),
      firstPage<Segment>('/api/v1/email-segments'),
    ])
    return { senders: senders.data, templates: templates.data, lists: lists.data, segments: segments.data }
  }, [])
}

/** Composes a new draft, or edits `campaign` (a draft or a scheduled campaign) with PATCH. */
export function CampaignForm(props: { campaign?: Campaign; onSaved(campaign: Campaign): void }) {
  const c = props.campaign
  const choices = useChoices()
  const [name, setName] = useState(c?.name ?? '')
  const [from, setFrom] = useState(c?.from ?? '')
  const [templateId, setTemplateId] = useState(c?.template_id ?? '')
  const [subject, setSubject] = useState(c?.subject ?? '')
  const [html, setHtml] = useState(c?.html ?? '')
  const [listIds, setListIds] = useState<string[]>(c?.list_ids ?? [])
  const [segmentIds, setSegmentIds] = useState<string[]>(c?.segment_ids ?? [])
  const [trackOpens, setTrackOpens] = useState(c?.track_opens ?? true)
  const [trackClicks, setTrackClicks] = useState(c?.track_clicks ?? true)
  const submit = useSubmit(async () => {
    const content = templateId
      ? { template_id: templateId, ...(c ? { subject: null, html: null } : {}) }
      : { subject, html, ...(c ? { template_id: null } : {}) }
    const body = {
      name,
      ...(from ? { from } : c ? { from: null } : {}),
      ...content,
      list_ids: listIds,
      segment_ids: segmentIds,
      track_opens: trackOpens,
      track_clicks: trackClicks,
    }
    const saved = c
      ? await api<Campaign>('PATCH', `/api/v1/campaigns/${c.id}`, body)
      : await api<Campaign>('POST', '/api/v1/campaigns', body)
    props.onSaved(saved)
  })
  if (choices.error) return <ErrorNote error={choices.error} />
  if (!choices.data) return <Loading what="senders and audiences" />
  const o = choices.data
  const toggle = (ids: string[], set: (ids: string[]) => void, id: string, on: boolean) =>
    set(on ? [...ids, id] : ids.filter((x) => x !== id))
  return (
    <form class="email-form" onSubmit={submit.onSubmit} aria-label={c ? 'Edit campaign' : 'New campaign'}>
      <Field label="Campaign name">
        {(id) => <input id={id} required value={name} onInput={(e) => setName(e.currentTarget.value)} />}
      </Field>
      <Field label="From">
        {(id) => (
          <select id={id} value={from} onChange={(e) => setFrom(e.currentTarget.value)}>
            <option value="">The default sender</option>
            {o.senders.map((s) => (
              <option key={s.id} value={s.id}>
                {senderLabel(s)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Content">
        {(id) => (
          <select id={id} value={templateId} onChange={(e) => setTemplateId(e.currentTarget.value)}>
            <option value="">Write a subject and HTML here</option>
            {o.templates.map((t) => (
              <option key={t.id} value={t.id}>
                Template: {t.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {!templateId && (
        <>
          <Field label="Subject">
            {(id) => <input id={id} required value={subject} onInput={(e) => setSubject(e.currentTarget.value)} />}
          </Field>
          <Field
            label="HTML"
            hint="Liquid variables work here; an unsubscribe footer is added unless you place {{ unsubscribe_url }}."
          >
            {(id, hint) => (
              <textarea
                id={id}
                aria-describedby={hint}
                required
                value={html}
                onInput={(e) => setHtml(e.currentTarget.value)}
              />
            )}
          </Field>
        </>
      )}
      <fieldset class="email-audience">
        <legend>Audience</legend>
        <p class="hint">
          Every subscribed member of the ticked lists and every match of the ticked segments, once each (segments are
          evaluated when sending starts). None ticked: choose later.
        </p>
        {o.lists.length === 0 && o.segments.length === 0 && (
          <p class="muted small">
            No list or segment yet: <Link href="/app/email">create one</Link>.
          </p>
        )}
        <ul class="plain email-choices">
          {o.lists.map((l) => (
            <li key={l.id}>
              <label class="inline-check">
                <input
                  type="checkbox"
                  checked={listIds.includes(l.id)}
                  onChange={(e) => toggle(listIds, setListIds, l.id, e.currentTarget.checked)}
                />{' '}
                List: {l.name} ({l.member_count})
              </label>
            </li>
          ))}
          {o.segments.map((s) => (
            <li key={s.id}>
              <label class="inline-check">
                <input
                  type="checkbox"
                  checked={segmentIds.includes(s.id)}
                  onChange={(e) => toggle(segmentIds, setSegmentIds, s.id, e.currentTarget.checked)}
                />{' '}
                Segment: {s.name} ({s.member_count})
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <fieldset class="email-audience">
        <legend>Tracking</legend>
        <label class="inline-check">
          <input type="checkbox" checked={trackOpens} onChange={(e) => setTrackOpens(e.currentTarget.checked)} /> Count
          opens (a 1×1 image)
        </label>
        <label class="inline-check">
          <input type="checkbox" checked={trackClicks} onChange={(e) => setTrackClicks(e.currentTarget.checked)} />{' '}
          Count clicks (links go through signed redirects)
        </label>
      </fieldset>
      <ErrorNote error={submit.error} />
      <div>
        <button type="submit" disabled={submit.busy}>
          {c ? 'Save changes' : 'Save draft'}
        </button>
      </div>
    </form>
  )
}
