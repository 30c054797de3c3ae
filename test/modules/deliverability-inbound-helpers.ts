import { readFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import nodemailer from 'nodemailer'

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'inbound')

/** The values a fixture's `{{NAME}}` placeholders take: the send it reports on. */
export interface FixtureValues {
  VERP: string
  TO: string
  FROM: string
  SUBJECT: string
  MESSAGE_ID: string
  EMAIL_ID: string
}

/** A fixture from test/fixtures/inbound with its placeholders filled, lines ending in CRLF as on the wire. */
export function fixture(name: string, values: Partial<FixtureValues> = {}): Buffer {
  const text = readFileSync(path.join(FIXTURES, name), 'utf8').replace(/\{\{([A-Z_]+)\}\}/g, (all, key: string) => {
    const value = values[key as keyof FixtureValues]
    return value ?? all
  })
  return Buffer.from(text.replace(/\r?\n/g, '\r\n'))
}

/**
 * Delivers a raw message over real SMTP (nodemailer's client) to the listener on loopback, with
 * the null sender `<>` as DSNs have by default. Resolves with the server's final reply.
 */
export async function deliver(port: number, rcpt: string, raw: Buffer, mailFrom = ''): Promise<string> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true })
  try {
    const info = await transport.sendMail({ envelope: { from: mailFrom, to: [rcpt] }, raw })
    return info.response
  } finally {
    transport.close()
  }
}

/**
 * A raw SMTP conversation: the greeting, then one reply per command. Replies are whole (a
 * multi-line EHLO answer is one string). Ends with QUIT and waits for the socket to close.
 */
export async function smtpDialog(port: number, commands: string[]): Promise<string[]> {
  const socket = net.connect(port, '127.0.0.1')
  let buffer = ''
  let onData: (() => void) | undefined
  let failure: Error | undefined
  socket.on('data', (chunk) => {
    buffer += chunk.toString('utf8')
    onData?.()
  })
  socket.on('error', (err) => {
    failure = err
    onData?.()
  })
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  const reply = () =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no SMTP reply; got so far: ${buffer}`)), 10_000)
      const attempt = () => {
        if (failure) {
          clearTimeout(timer)
          reject(failure)
          return
        }
        const last = /^\d{3} [^\r\n]*\r\n/m.exec(buffer)
        if (!last) return
        const end = last.index + last[0].length
        const text = buffer.slice(0, end).trimEnd()
        buffer = buffer.slice(end)
        onData = undefined
        clearTimeout(timer)
        resolve(text)
      }
      onData = attempt
      attempt()
    })
  const replies = [await reply()]
  for (const command of commands) {
    socket.write(`${command}\r\n`)
    replies.push(await reply())
  }
  socket.write('QUIT\r\n')
  await reply().catch(() => '')
  socket.end()
  await closed
  return replies
}
