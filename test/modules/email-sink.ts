import type { AddressInfo } from 'node:net'
import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer, type SMTPServerSession } from 'smtp-server'

export interface SunkMessage {
  from: string
  to: string[]
  raw: string
  parse(): Promise<ParsedMail>
}

/**
 * A real SMTP server on loopback that keeps every message it accepts. `refuse` decides, per
 * recipient, an SMTP error to answer instead (e.g. 451 temporary, 550 permanent).
 */
export async function startSmtpSink() {
  const messages: SunkMessage[] = []
  let refuse: (rcpt: string, attempt: number) => { code: number; message: string } | undefined = () => undefined
  const attempts = new Map<string, number>()
  const waiters: { count: number; resolve: () => void }[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const n = (attempts.get(address.address) ?? 0) + 1
      attempts.set(address.address, n)
      const refusal = refuse(address.address, n)
      if (!refusal) return callback()
      const err = new Error(refusal.message) as Error & { responseCode: number }
      err.responseCode = refusal.code
      callback(err)
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          parse: () => simpleParser(raw),
        })
        for (const w of [...waiters]) {
          if (messages.length >= w.count) {
            waiters.splice(waiters.indexOf(w), 1)
            w.resolve()
          }
        }
        callback()
      })
    },
  })
  // A client that dies mid-session (a worker killed with SIGKILL) resets its connection: that is
  // the sender's event, not the sink's failure. Any other server error stays visible.
  const errors: Error[] = []
  server.on('error', (err: Error & { code?: string }) => {
    if (err.code !== 'ECONNRESET') errors.push(err)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    refuseWith(fn: typeof refuse) {
      refuse = fn
    },
    waitFor(count: number, timeoutMs = 15_000): Promise<void> {
      if (messages.length >= count) return Promise.resolve()
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`SMTP sink: ${messages.length} of ${count} messages`)),
          timeoutMs,
        )
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer)
            resolve()
          },
        })
      })
    },
    /** Stops the server; fails if it saw an error other than a client's reset. */
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      if (errors.length > 0) throw new Error(`SMTP sink errors: ${errors.map((e) => e.message).join('; ')}`)
    },
  }
}
