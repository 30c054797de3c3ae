import type { MailTransport, OutgoingMessage } from '../../email/transport.js'
import type { VerpSigner } from './verp.js'

/**
 * The transport with each message's own return path as its SMTP envelope sender (MAIL FROM): the
 * message's options get nodemailer's `envelope` (sender: the signed return path; recipients: the
 * message's `to`), and the transport sends them as they are. The `From` header is unchanged. Without
 * a signer (the inbound listener is off) the transport is returned as it was.
 */
export function withReturnPaths(transport: MailTransport, verp: VerpSigner | undefined): MailTransport {
  if (!verp) return transport
  const withEnvelope = (message: OutgoingMessage): OutgoingMessage => ({
    ...message,
    options: { ...message.options, envelope: { from: verp.returnPath(message.emailId), to: message.options.to } },
  })
  return {
    kind: transport.kind,
    send: (message) => transport.send(withEnvelope(message)),
    verify: () => transport.verify(),
    close: () => transport.close(),
  }
}
