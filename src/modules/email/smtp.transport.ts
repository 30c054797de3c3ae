import nodemailer from 'nodemailer'
import { MailSendError, type MailTransport, type OutgoingMessage, type SendOutcome } from './transport.js'

export interface SmtpOptions {
  /** Connections kept open to the server. Default 5 (nodemailer's). */
  maxConnections?: number
  /** Socket and greeting timeouts. Default 30 s. */
  timeoutMs?: number
  /**
   * The DKIM key of a message's from-domain in its organization and mode, when it has one: the
   * message is then signed with it (rsa-sha256, relaxed/relaxed). A lookup that fails fails the
   * attempt, to be retried (never recorded as a bounce): a message is never sent unsigned because
   * its key could not be read.
   */
  dkimKeyFor?: (scope: { orgId: string; livemode: boolean }, domain: string) => Promise<DkimKey | undefined>
}

/** nodemailer's per-message `dkim` option. */
export interface DkimKey {
  domainName: string
  keySelector: string
  privateKey: string
}

/** The domain of the message's from-address, lower-case; undefined when it has none. */
export function fromDomainOf(message: OutgoingMessage): string | undefined {
  const from = message.options.from
  const address = typeof from === 'string' ? from : from && !Array.isArray(from) ? from.address : undefined
  const at = address?.lastIndexOf('@') ?? -1
  return address && at > 0
    ? address
        .slice(at + 1)
        .replace(/>$/, '')
        .toLowerCase()
    : undefined
}

/**
 * Sends through one SMTP server with a pool of kept-open connections (nodemailer's SMTP pool). An
 * answer of 5xx (or a refused recipient) is permanent; anything else (4xx, a dropped connection, a
 * timeout) is worth retrying.
 */
export function smtpTransport(url: string, options: SmtpOptions = {}): MailTransport {
  const timeoutMs = options.timeoutMs ?? 30_000
  const transporter = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: options.maxConnections ?? 5,
    maxMessages: Number.POSITIVE_INFINITY,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  })
  const signingKeyOf = async (message: OutgoingMessage): Promise<DkimKey | undefined> => {
    const domain = options.dkimKeyFor && message.orgId ? fromDomainOf(message) : undefined
    if (!domain || !options.dkimKeyFor) return undefined
    try {
      return await options.dkimKeyFor({ orgId: message.orgId, livemode: message.livemode }, domain)
    } catch (err) {
      // Not a MailSendError: a local failure says nothing about the recipient (no bounce is recorded).
      throw new Error(`could not load the signing key of ${domain}: ${(err as Error).message}`)
    }
  }
  return {
    kind: 'smtp',
    async send(message: OutgoingMessage): Promise<SendOutcome> {
      let info: { accepted?: unknown[]; rejected?: unknown[]; response?: string }
      const dkim = await signingKeyOf(message)
      try {
        info = await transporter.sendMail(dkim ? { ...message.options, dkim } : message.options)
      } catch (err) {
        const e = err as { responseCode?: number; response?: string; message?: string; code?: string }
        const code = e.responseCode
        throw new MailSendError(
          e.response ?? e.message ?? String(err),
          code !== undefined && code >= 500 && code < 600,
          {
            responseCode: code,
            errorCode: e.code,
          },
        )
      }
      if ((info.rejected?.length ?? 0) > 0 || (info.accepted?.length ?? 0) === 0) {
        throw new MailSendError(`recipient refused: ${info.response ?? 'no answer'}`, true)
      }
      return { isDelivered: true, response: info.response ?? '' }
    },
    async verify() {
      try {
        await transporter.verify()
        return { ok: true }
      } catch (err) {
        return { ok: false, error: (err as Error).message }
      }
    },
    async close() {
      transporter.close()
    },
  }
}
