import type { SendMailOptions } from 'nodemailer'

/** One message ready to leave: its row's identity and the nodemailer options it was composed into. */
export interface OutgoingMessage {
  emailId: string
  orgId: string
  livemode: boolean
  options: SendMailOptions & { messageId: string }
}

/** `delivered`: the next hop (an SMTP server) accepted it. The development mailbox only keeps it. */
export interface SendOutcome {
  isDelivered: boolean
  response: string
}

/** A send that did not go through; `isPermanent` when trying again cannot help (an SMTP 5xx). */
export class MailSendError extends Error {
  constructor(
    message: string,
    readonly isPermanent: boolean,
    /** The SMTP reply code and the network error code, when known (deliverability classifies by them). */
    readonly details: { responseCode?: number | undefined; errorCode?: string | undefined } = {},
  ) {
    super(message)
  }
}

/**
 * Where outgoing email goes: an SMTP server (RAPPORT_SMTP_URL) or the development mailbox in the
 * database. `deps.ts` is the only place that chooses.
 */
export interface MailTransport {
  readonly kind: 'smtp' | 'mailbox'
  /** Sends one message; throws MailSendError when it was refused or could not be handed over. */
  send(message: OutgoingMessage): Promise<SendOutcome>
  /** For the dashboard and /readyz-style checks: whether the transport answers now. */
  verify(): Promise<{ ok: boolean; error?: string }>
  close(): Promise<void>
}
