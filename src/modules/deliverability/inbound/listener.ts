import type { AddressInfo } from 'node:net'
import type { FastifyBaseLogger } from 'fastify'
import { SMTPServer, type SMTPServerSession } from 'smtp-server'
import type { Db } from '../../../db/schema.js'
import { applyInboundReport, type IntakePolicy } from './intake.js'
import { type InboundReport, parseInboundMessage } from './report.js'
import type { VerpSigner } from './verp.js'

export interface InboundListenerOptions {
  db: Db
  log: FastifyBaseLogger
  /** Verifies the return paths (RCPT TO) this installation signed. */
  verp: VerpSigner
  host: string
  /** 0 picks a free port (tests). */
  port: number
  /** The largest message accepted (announced with SIZE, RFC 1870); a larger one is refused with 552. */
  maxBytes: number
  policy?: IntakePolicy
}

export interface InboundListener {
  /** The port it listens on. */
  readonly port: number
  close(): Promise<void>
}

/** Return paths per message: a DSN or report goes to one; a few more are allowed, never a mailing. */
const MAX_RECIPIENTS = 10
/** Connections at once: bounces arrive a few at a time; more is someone hammering the port. */
const MAX_CLIENTS = 50

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code })

/**
 * The inbound SMTP listener (RAPPORT_SMTP_INBOUND): accepts mail only for the per-send return
 * paths this installation signed, so it is neither a relay nor a mailbox. No AUTH, no STARTTLS (put a
 * TLS-terminating relay in front if the network requires it). Each message is parsed with
 * mailparser and applied to the send its return path names (intake.ts); one log line per message
 * and return path says what became of it. Malformed MIME is accepted and logged, never thrown: a
 * refusal would only bounce the bounce. A database failure answers 451 so the sender tries again
 * (the intake is idempotent).
 */
export async function startInboundListener(opts: InboundListenerOptions): Promise<InboundListener> {
  const { db, log, verp } = opts
  const server = new SMTPServer({
    name: verp.domain,
    banner: 'Rapport bounce and feedback intake',
    size: opts.maxBytes,
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    maxClients: MAX_CLIENTS,
    socketTimeout: 60_000,
    closeTimeout: 5_000,
    logger: false,
    onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= MAX_RECIPIENTS) {
        return callback(smtpError(452, '4.5.3 Too many recipients'))
      }
      if (!verp.emailIdOf(address.address)) {
        // The same answer for another domain, another local part or a forged token: this server
        // only takes reports about messages it sent, and says nothing more.
        return callback(smtpError(550, '5.1.1 No such recipient here'))
      }
      callback()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      // Past the limit the rest is read and dropped (smtp-server counts it), not kept in memory.
      stream.on('data', (chunk: Buffer) => {
        if (!stream.sizeExceeded) chunks.push(chunk)
      })
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          return callback(smtpError(552, `5.3.4 Message larger than ${opts.maxBytes} bytes`))
        }
        handle(Buffer.concat(chunks), session).then(
          () => callback(),
          (err: unknown) => {
            log.error({ err, session_id: session.id }, 'inbound report: could not record it; the sender will retry')
            callback(smtpError(451, '4.3.0 Temporary failure, try again later'))
          },
        )
      })
    },
  })
  server.on('error', (err: Error & { code?: string }) => {
    // A client's failure (a reset, a timeout) is the client's; the listener goes on.
    log.debug({ err, code: err.code }, 'inbound SMTP connection error')
  })

  async function handle(raw: Buffer, session: SMTPServerSession): Promise<void> {
    let report: InboundReport
    try {
      report = await parseInboundMessage(raw)
    } catch (err) {
      log.warn({ err, session_id: session.id, bytes: raw.length }, 'inbound report: malformed MIME, ignored')
      return
    }
    const emailIds = new Set(
      session.envelope.rcptTo.map((r) => verp.emailIdOf(r.address)).filter((id): id is string => id !== undefined),
    )
    for (const emailId of emailIds) {
      const result = await applyInboundReport(db, emailId, report, opts.policy)
      const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : ''
      log.info({ ...result, mail_from: from || '<>', remote: session.remoteAddress }, 'inbound report')
    }
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err)
    server.server.once('error', onError)
    server.listen(opts.port, opts.host, () => {
      server.server.off('error', onError)
      resolve()
    })
  })
  const { port } = server.server.address() as AddressInfo
  log.info({ host: opts.host, port, domain: verp.domain }, 'inbound SMTP listener started')
  return {
    port,
    close: () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          log.info({ port }, 'inbound SMTP listener stopped')
          resolve()
        }),
      ),
  }
}
