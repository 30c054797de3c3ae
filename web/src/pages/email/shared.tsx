import { useEffect, useState } from 'preact/hooks'
import { api, type List } from '../../api.js'
import { usePath } from '../../router.js'
import type { Item, Ok } from '../../types.js'
import { Link } from '../../ui.js'

/*
 * What the email screens share: the API objects they show (types generated from the OpenAPI
 * document), the Email area's own navigation, the sandboxed frame that shows an email's HTML.
 */

export type Sender = Ok<'getSender'>
export type EmailSettings = Ok<'getEmailSettings'>
export type EmailList = Ok<'getEmailList'>
export type ListMember = Item<'listEmailListMembers'>
export type Segment = Ok<'getEmailSegment'>
export type Template = Ok<'getEmailTemplate'>
export type MailboxMessage = Ok<'getMailboxMessage'>
export type Campaign = Ok<'getCampaign'>
export type CampaignStatus = Campaign['status']
export type LinkStat = Item<'listCampaignLinkClicks'>

/** A template or draft content rendered for a sample contact (the preview routes). */
export type Rendered = Ok<'previewEmailTemplateDraft'>

/** GET /api/v1/email-settings/transport (declared here: newer than the generated types). */
export interface TransportStatus {
  object: 'email_transport_status'
  transport: 'smtp' | 'mailbox'
  ok: boolean
  error: string | null
  duration_ms: number
  checked_at: string
}

/** POST /api/v1/email-segments/preview (declared here: newer than the generated types). */
export interface SegmentPreview {
  object: 'email_segment_preview'
  contact_count: number
  member_count: number
}

const SECTIONS = [
  ['/app/email', 'Senders and audiences'],
  ['/app/email/campaigns', 'Campaigns'],
  ['/app/email/templates', 'Templates'],
  ['/app/email/mailbox', 'Development mailbox'],
  ['/app/email/deliverability', 'Deliverability'],
  ['/app/email/settings', 'Settings'],
] as const

/** The Email area's sections; the one the page is under is marked current. */
export function EmailNav() {
  const path = usePath()
  const current = SECTIONS.reduce<string>(
    (best, [href]) => ((path === href || path.startsWith(`${href}/`)) && href.length > best.length ? href : best),
    '',
  )
  const under = path.startsWith('/app/email/lists/') || path.startsWith('/app/email/segments/') ? '/app/email' : current
  return (
    <nav class="email-nav" aria-label="Email">
      {SECTIONS.map(([href, label]) => (
        <Link key={href} href={href} current={href === under}>
          {label}
        </Link>
      ))}
    </nav>
  )
}

/** An email's HTML, shown in a sandboxed frame: no scripts, no forms, no navigation of this page. */
export function HtmlFrame(props: { html: string; title: string }) {
  return <iframe class="email-frame" title={props.title} sandbox="" srcdoc={props.html} />
}

/** The first 100 of a list (the most any of these screens shows at once). */
export const firstPage = <T,>(path: string) => api<List<T>>('GET', `${path}${path.includes('?') ? '&' : '?'}limit=100`)

export function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return debounced
}

export const STATUS_TONE: Record<CampaignStatus, 'ok' | 'bad' | 'warn' | 'neutral'> = {
  completed: 'ok',
  sending: 'warn',
  scheduled: 'neutral',
  paused: 'warn',
  cancelled: 'bad',
  draft: 'neutral',
}

export const senderLabel = (s: { name: string | null; email: string }) => (s.name ? `${s.name} <${s.email}>` : s.email)
