import nodemailer from 'nodemailer'
import { MailSendError, type MailTransport, type OutgoingMessage, type SendOutcome } from './transport.js'

export interface SmtpOptions {
  /** Connections kept open to the server. Default 5 (nodemailer's). */
  maxConnections?: number
  /** Socket and greeting timeouts. Default 30 s. */
  timeoutMs?: number
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
  return {
    kind: 'smtp',
    async send(message: OutgoingMessage): Promise<SendOutcome> {
      let info: { accepted?: unknown[]; rejected?: unknown[]; response?: string }
      try {
        info = await transporter.sendMail(message.options)
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
