import { type Attachment, type ParsedMail, simpleParser } from 'mailparser'
import {
  bareAddress,
  bareMessageId,
  type Fields,
  parseFieldGroups,
  parseHeaderBlock,
  typedValue,
} from './report-fields.js'

/** What the returned copy of our message (or its headers) says it was. */
export interface OriginalHeaders {
  messageId: string | null
  /** Our own header on every message (compose.ts). */
  rapportEmailId: string | null
}

/** One per-recipient block of a DSN (RFC 3464 §2.3). */
export interface DsnRecipient {
  finalRecipient: string | null
  originalRecipient: string | null
  /** `failed`, `delayed`, `delivered`, `relayed` or `expanded`, lower-cased. */
  action: string
  /** The RFC 3463 status (`5.1.1`). */
  status: string | null
  /** The remote reply without its type (`550 5.1.1 <jane@example.com>: no such user`). */
  diagnosticCode: string | null
}

/** An inbound message, as far as deliverability cares. */
export type InboundReport =
  | {
      type: 'dsn'
      /** The report's own Message-ID. */
      messageId: string | null
      envelopeId: string | null
      reportingMta: string | null
      recipients: DsnRecipient[]
      original: OriginalHeaders | null
    }
  | {
      type: 'arf'
      messageId: string | null
      /** `abuse`, `fraud`, `virus`, `other`, `not-spam`, `auth-failure`…, lower-cased (RFC 5965 §7.3, RFC 6591). */
      feedbackType: string
      userAgent: string | null
      original: OriginalHeaders | null
    }
  /** An out-of-office or other automatic reply: accepted and ignored. */
  | { type: 'auto_reply'; messageId: string | null }
  /** Anything else (a person writing to a return path, a bounce in no standard format): ignored. */
  | { type: 'other'; messageId: string | null }

const DSN_PARTS = new Set(['message/delivery-status', 'message/global-delivery-status'])
const ARF_PARTS = new Set(['message/feedback-report'])
const ORIGINAL_PARTS = new Set(['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers'])
const AUTO_REPLY_SUBJECT =
  /^\s*(auto(matic)?[ -]?(reply|response|antwort)|autoreply|out of (the )?office|vacation|away from|abwesenheit|r[ée]ponse automatique)\b/i

/**
 * Reads one inbound message with mailparser: a DSN (RFC 3464, `multipart/report;
 * report-type=delivery-status`), a feedback report (ARF, RFC 5965), an automatic reply, or
 * something else. Embedded messages stay whole (`ignoreEmbedded`) so the returned copy's headers
 * can be read; the report parts are found by their type wherever they sit, as some MTAs wrap the
 * report in `multipart/mixed`. Throws on MIME that cannot be parsed at all.
 */
export async function parseInboundMessage(raw: Buffer): Promise<InboundReport> {
  const mail = await simpleParser(raw, {
    keepDeliveryStatus: true,
    ignoreEmbedded: true,
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
    checksumAlgo: false,
  })
  const messageId = bareMessageId(mail.messageId)
  const parts = mail.attachments
  const original = originalHeaders(parts.find((a) => ORIGINAL_PARTS.has(a.contentType.toLowerCase())))
  const dsn = parts.find((a) => DSN_PARTS.has(a.contentType.toLowerCase()))
  if (dsn) {
    const [perMessage, ...rest] = parseFieldGroups(dsn.content.toString('utf8'))
    const groups = perMessage && isRecipientGroup(perMessage) ? [perMessage, ...rest] : rest
    return {
      type: 'dsn',
      messageId,
      envelopeId: perMessage?.get('original-envelope-id') ?? null,
      reportingMta: typedValue(perMessage?.get('reporting-mta')),
      recipients: groups.filter(isRecipientGroup).map(toRecipient),
      original,
    }
  }
  const arf = parts.find((a) => ARF_PARTS.has(a.contentType.toLowerCase()))
  if (arf) {
    const fields = parseFieldGroups(arf.content.toString('utf8'))[0] ?? new Map<string, string>()
    return {
      type: 'arf',
      messageId,
      feedbackType: (fields.get('feedback-type') ?? 'other').toLowerCase(),
      userAgent: fields.get('user-agent') ?? null,
      original,
    }
  }
  return { type: isAutoReply(mail) ? 'auto_reply' : 'other', messageId }
}

function isRecipientGroup(fields: Fields): boolean {
  return fields.has('final-recipient') || fields.has('action')
}

function toRecipient(fields: Fields): DsnRecipient {
  const status = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(fields.get('status') ?? '')
  return {
    finalRecipient: bareAddress(typedValue(fields.get('final-recipient'))),
    originalRecipient: bareAddress(typedValue(fields.get('original-recipient'))),
    action: (fields.get('action') ?? '').trim().toLowerCase(),
    status: status ? status[1]! : null,
    diagnosticCode: typedValue(fields.get('diagnostic-code')),
  }
}

function originalHeaders(part: Attachment | undefined): OriginalHeaders | null {
  if (!part) return null
  const headers = parseHeaderBlock(part.content.toString('utf8'))
  const messageId = bareMessageId(headers.get('message-id'))
  const rapportEmailId = headers.get('x-rapport-email-id')?.trim() || null
  return messageId || rapportEmailId ? { messageId, rapportEmailId } : null
}

/** RFC 3834 `Auto-Submitted` (other than `no`), the common vendor headers, `Precedence`, vacation subjects. */
function isAutoReply(mail: ParsedMail): boolean {
  const header = (name: string) => {
    const value = mail.headers.get(name)
    return typeof value === 'string' ? value.trim().toLowerCase() : value === undefined ? undefined : ''
  }
  const autoSubmitted = header('auto-submitted')
  if (autoSubmitted !== undefined && !autoSubmitted.startsWith('no')) return true
  if (header('x-autoreply') !== undefined || header('x-autorespond') !== undefined) return true
  if (['auto_reply', 'bulk', 'junk'].includes(header('precedence') ?? '')) return true
  return AUTO_REPLY_SUBJECT.test(mail.subject ?? '')
}
