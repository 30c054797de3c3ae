import { compile } from 'html-to-text'
import type { EmailAttachment } from '../../db/schema-email.js'
import type { OutgoingMessage } from './transport.js'

/**
 * Compiled once: `convert(html, options)` compiles its options (the selector decision tree) on
 * every call, which was most of the cost of a campaign message's text part (profiled: 10% of a
 * campaign's CPU, docs/decisions/0032).
 */
const htmlToText = compile({
  wordwrap: 78,
  selectors: [
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
  ],
})

/** The plain-text part of a message whose body is HTML: links kept as `text [url]`, lines of 78. */
export function textFromHtml(html: string): string {
  return htmlToText(html)
}

/** `<em_…@example.com>`: ours, unique, and under the sender's domain as RFC 5322 suggests. */
export function messageIdFor(emailId: string, fromEmail: string): string {
  const domain = fromEmail.slice(fromEmail.lastIndexOf('@') + 1) || 'rapport.invalid'
  return `<${emailId}@${domain}>`
}

/** Categories of Rapport's own messages: automatic replies must not answer them (RFC 3834). */
export const isAutomatic = (category: string) => category !== 'api' && category !== 'template_test'

export interface ComposableEmail {
  id: string
  org_id: string
  livemode: boolean
  to_email: string
  to_name: string | null
  from_email: string
  from_name: string | null
  reply_to: string | null
  subject: string
  html: string | null
  text: string
  category: string
  headers: Record<string, string>
  attachments: EmailAttachment[]
  message_id: string
  created_at: Date
}

/**
 * The message a stored email becomes, the same on every attempt (same Message-ID and Date): a
 * receiver can recognise a copy sent again after a crash. Always a text part; HTML beside it when
 * there is some. `Feedback-ID` lets mailbox providers report complaints per category and
 * organization.
 */
export function composeMessage(email: ComposableEmail): OutgoingMessage {
  return {
    emailId: email.id,
    orgId: email.org_id,
    livemode: email.livemode,
    options: {
      messageId: email.message_id,
      date: email.created_at,
      from: email.from_name ? { name: email.from_name, address: email.from_email } : email.from_email,
      to: email.to_name ? { name: email.to_name, address: email.to_email } : email.to_email,
      ...(email.reply_to ? { replyTo: email.reply_to } : {}),
      subject: email.subject,
      text: email.text,
      ...(email.html ? { html: email.html } : {}),
      headers: {
        'X-Rapport-Email-Id': email.id,
        'Feedback-ID': `${email.category.replace(/[^a-z0-9_.-]/gi, '-')}:${email.org_id}:rapport`,
        ...(isAutomatic(email.category) ? { 'Auto-Submitted': 'auto-generated' } : {}),
        ...email.headers,
      },
      attachments: email.attachments.map((a) => ({
        filename: a.filename,
        contentType: a.content_type,
        content: Buffer.from(a.content, 'base64'),
      })),
    },
  }
}
