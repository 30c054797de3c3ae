import type { PublicUrl } from '../../lib/public-url.js'
import { textFromHtml } from './compose.js'
import type { LinkSigner } from './link-signer.js'
import { compileTemplate } from './liquid.js'
import { contactVariables } from './templates.service.js'
import { addTracking } from './tracking.js'

export interface CampaignContent {
  subject: string
  html: string | null
  text: string | null
}

export interface Recipient {
  sendId: string
  /** The message's id: its tracking links carry it. */
  emailId: string
  contact: Parameters<typeof contactVariables>[0] | null
  email: string
}

export interface ComposedCampaignMessage {
  subject: string
  html: string | null
  text: string
  headers: Record<string, string>
}

/**
 * Renders a campaign's content for each recipient (Liquid, parsed once per batch), adds the open
 * pixel and click redirects it asks for (see tracking.ts; the text part keeps the plain links), and what
 * every marketing message carries: `List-Unsubscribe` (an HTTPS link signed for this send, and
 * `List-Unsubscribe-Post: List-Unsubscribe=One-Click`, RFC 8058) and `Precedence: bulk`.
 */
export class CampaignComposer {
  constructor(
    private readonly links: LinkSigner,
    private readonly publicUrl: PublicUrl,
  ) {}

  /** The unsubscribe link of one send: POST unsubscribes at once, GET shows a confirmation page. */
  unsubscribeUrl(sendId: string): string {
    return this.publicUrl.link(`/email/unsubscribe/${encodeURIComponent(this.links.sign('unsubscribe', sendId))}`)
  }

  /** The preferences page of one send's recipient (leave one list, or all). */
  preferencesUrl(sendId: string): string {
    return this.publicUrl.link(`/email/preferences/${encodeURIComponent(this.links.sign('unsubscribe', sendId))}`)
  }

  /** A renderer for a batch: TemplateError if the content does not parse or render. */
  prepare(
    content: CampaignContent,
    organization: { id: string; name: string | null },
    tracking: { opens: boolean; clicks: boolean } = { opens: false, clicks: false },
  ) {
    const subject = compileTemplate(content.subject, 'text')
    const html = content.html ? compileTemplate(content.html, 'html') : null
    const text = content.text ? compileTemplate(content.text, 'text') : null
    return async (r: Recipient): Promise<ComposedCampaignMessage> => {
      const unsubscribeUrl = this.unsubscribeUrl(r.sendId)
      const variables = {
        contact: contactVariables(r.contact ?? { name: null, email: r.email }),
        organization,
        data: {},
        unsubscribe_url: unsubscribeUrl,
        preferences_url: this.preferencesUrl(r.sendId),
      }
      const renderedHtml = html ? withFooter(await html(variables), variables, hasOwnLink(content.html)) : null
      const renderedText = text
        ? withTextFooter(await text(variables), variables, hasOwnLink(content.text))
        : textFromHtml(renderedHtml ?? '')
      const trackedHtml =
        renderedHtml && (tracking.opens || tracking.clicks)
          ? addTracking(renderedHtml, { links: this.links, publicUrl: this.publicUrl, emailId: r.emailId, ...tracking })
          : renderedHtml
      return {
        subject: (await subject(variables)).replace(/[\r\n]+/g, ' ').trim() || '(no subject)',
        html: trackedHtml,
        text: renderedText,
        headers: {
          'List-Unsubscribe': `<${unsubscribeUrl}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          Precedence: 'bulk',
        },
      }
    }
  }
}

/** Whether the author placed the unsubscribe or preferences link themselves. */
const hasOwnLink = (source: string | null) => /unsubscribe_url|preferences_url/.test(source ?? '')
const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')

/** Every marketing message offers a way out: a footer with both links, unless the author wrote them in. */
function withFooter(html: string, v: { unsubscribe_url: string; preferences_url: string }, isOwn: boolean) {
  if (isOwn) return html
  const footer = `<p style="font-size:12px;color:#666"><a href="${escapeAttr(v.unsubscribe_url)}">Unsubscribe</a> · <a href="${escapeAttr(v.preferences_url)}">Email preferences</a></p>`
  return /<\/body>/i.test(html) ? html.replace(/<\/body>/i, `${footer}</body>`) : `${html}${footer}`
}

function withTextFooter(text: string, v: { unsubscribe_url: string; preferences_url: string }, isOwn: boolean) {
  return isOwn ? text : `${text}\n\n--\nUnsubscribe: ${v.unsubscribe_url}\nEmail preferences: ${v.preferences_url}\n`
}
