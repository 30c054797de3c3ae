import type { PublicUrl } from '../../lib/public-url.js'
import { textFromHtml } from './compose.js'
import type { LinkSigner } from './link-signer.js'
import { compileTemplate } from './liquid.js'
import { contactVariables } from './templates.service.js'

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
 * Renders a campaign's content for each recipient (Liquid, parsed once per batch) and adds what
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
  prepare(content: CampaignContent, organization: { id: string; name: string | null }) {
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
      const renderedHtml = html ? await html(variables) : null
      const renderedText = text ? await text(variables) : textFromHtml(renderedHtml ?? '')
      return {
        subject: (await subject(variables)).replace(/[\r\n]+/g, ' ').trim() || '(no subject)',
        html: renderedHtml,
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
