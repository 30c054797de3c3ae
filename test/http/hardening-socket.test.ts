import net, { type AddressInfo } from 'node:net'
import { describe, expect, test } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { testApp } from '../harness.js'

/** The app listening on loopback with short timeouts, so a slow client is cut within a test's time. */
async function listening(timeouts = { requestTimeoutMs: 600, headersTimeoutMs: 300 }) {
  const h = await testApp({ config: timeouts })
  await h.app.listen({ host: '127.0.0.1', port: 0 })
  return { h, port: (h.app.server.address() as AddressInfo).port }
}

interface Exchange {
  /** Everything the server sent before it closed the connection. */
  answer: string
  closedAfterMs: number
}

/**
 * Opens a raw connection, sends `chunks` one after the other `gapMs` apart (a slowloris sends a
 * byte at a time and never finishes), and resolves when the server closes the connection.
 */
function converse(port: number, chunks: string[], gapMs = 0): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const socket = net.connect(port, '127.0.0.1')
    let answer = ''
    let timer: NodeJS.Timeout | undefined
    socket.on('data', (d) => {
      answer += d.toString('utf8')
    })
    socket.on('error', () => {})
    socket.on('close', () => {
      clearTimeout(timer)
      resolve({ answer, closedAfterMs: performance.now() - started })
    })
    const guard = setTimeout(() => {
      socket.destroy()
      reject(new Error(`the server kept the connection open; it sent: ${answer.slice(0, 200)}`))
    }, 10_000)
    socket.on('close', () => clearTimeout(guard))
    const sendNext = (i: number) => {
      if (i >= chunks.length || socket.destroyed) return
      socket.write(chunks[i]!)
      timer = setTimeout(() => sendNext(i + 1), gapMs)
    }
    socket.on('connect', () => sendNext(0))
  })
}

/** The JSON body of a raw HTTP answer, with its status and request id header. */
function parseAnswer(raw: string) {
  const [head = '', body = ''] = raw.split('\r\n\r\n')
  const status = Number(head.split(' ')[1])
  const requestId = /^x-request-id: (.+)$/im.exec(head)?.[1]?.trim()
  return { status, requestId, error: JSON.parse(body).error }
}

describe('slow clients cannot hold a connection (slowloris)', () => {
  test('headers sent a byte at a time are cut at the headers timeout with a 408 request_timeout', async () => {
    const { port } = await listening()
    const request = 'GET /api/v1/contacts HTTP/1.1\r\nHost: localhost\r\nX-Slow: '
    const drip = [...request, ...'a'.repeat(200)]
    const { answer, closedAfterMs } = await converse(port, drip, 20)
    const { status, error, requestId } = parseAnswer(answer)
    expect(status).toBe(408)
    expect(error).toMatchObject({ code: 'request_timeout', request_id: requestId })
    // Dripping all of it would take 5 s; the server cut it long before.
    expect(closedAfterMs).toBeLessThan(4_000)
  })

  test('a body sent a byte at a time is cut at the request timeout with a 408 request_timeout', async () => {
    const { h, port } = await listening()
    const body = JSON.stringify({ name: 'x'.repeat(300) })
    const head = `POST /api/v1/contacts HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${h.org.key}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`
    const { answer, closedAfterMs } = await converse(port, [head, ...body], 20)
    const { status, error } = parseAnswer(answer)
    expect(status).toBe(408)
    expect(error.code).toBe('request_timeout')
    expect(closedAfterMs).toBeLessThan(4_000)
  })

  test('a client that is merely not fast, within the timeouts, is served', async () => {
    const { h, port } = await listening({ requestTimeoutMs: 5_000, headersTimeoutMs: 5_000 })
    const body = JSON.stringify({ name: 'Slow but fine' })
    const head = `POST /api/v1/contacts HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: Bearer ${h.org.key}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`
    const { answer } = await converse(port, [head, body.slice(0, 5), body.slice(5)], 50)
    expect(answer).toMatch(/^HTTP\/1\.1 201/)
  })

  test('the timeouts are settings, and a headers timeout longer than the request timeout stops the start', () => {
    const config = loadConfig({ RAPPORT_REQUEST_TIMEOUT_MS: '20000', RAPPORT_HEADERS_TIMEOUT_MS: '5000' })
    expect(config).toMatchObject({ requestTimeoutMs: 20_000, headersTimeoutMs: 5_000 })
    expect(loadConfig({})).toMatchObject({ requestTimeoutMs: 30_000, headersTimeoutMs: 10_000 })
    expect(() => loadConfig({ RAPPORT_REQUEST_TIMEOUT_MS: '1000', RAPPORT_HEADERS_TIMEOUT_MS: '5000' })).toThrow(
      /RAPPORT_HEADERS_TIMEOUT_MS/,
    )
  })
})

describe('requests Node refuses before Fastify sees them get the documented envelope', () => {
  test('a URL over 16 KB is a 431 headers_too_large with a request id', async () => {
    const { port } = await listening()
    const { answer } = await converse(port, [
      `GET /api/v1/contacts?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    ])
    const { status, error, requestId } = parseAnswer(answer)
    expect(status).toBe(431)
    expect(error).toMatchObject({ code: 'headers_too_large', request_id: requestId })
  })

  test('headers over 16 KB are a 431 headers_too_large', async () => {
    const { port } = await listening()
    const { answer } = await converse(port, [
      `GET /api/v1/contacts HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    ])
    expect(parseAnswer(answer)).toMatchObject({ status: 431, error: { code: 'headers_too_large' } })
  })

  test('a request that is not HTTP is a 400 malformed_request', async () => {
    const { port } = await listening()
    const { answer } = await converse(port, ['NOT AN HTTP REQUEST\r\n\r\n'])
    expect(parseAnswer(answer)).toMatchObject({ status: 400, error: { code: 'malformed_request' } })
  })
})
