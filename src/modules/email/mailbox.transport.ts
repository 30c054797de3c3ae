import MailComposer from 'nodemailer/lib/mail-composer'
import type { Db } from '../../db/schema.js'
import { insertMailboxMessage } from './emails.repo.js'
import type { MailTransport, OutgoingMessage, SendOutcome } from './transport.js'

/** The raw MIME source of a message, exactly as an SMTP server would receive it. */
export async function rawMessage(message: OutgoingMessage): Promise<string> {
  const built = await new MailComposer(message.options).compile().build()
  return built.toString('utf8')
}

/**
 * The development mailbox: without RAPPORT_SMTP_URL, every message is kept in the database as the
 * raw MIME that would have been sent, and never counts as delivered. A message stored twice (a
 * worker crashed before recording it) is kept once.
 */
export function mailboxTransport(db: Db): MailTransport {
  return {
    kind: 'mailbox',
    async send(message: OutgoingMessage): Promise<SendOutcome> {
      const raw = await rawMessage(message)
      await insertMailboxMessage(db, {
        org_id: message.orgId,
        livemode: message.livemode,
        email_id: message.emailId,
        message_id: message.options.messageId,
        raw,
      })
      return { isDelivered: false, response: 'kept in the development mailbox' }
    },
    async verify() {
      return { ok: true }
    },
    async close() {},
  }
}
