import net from 'node:net'
import Fastify from 'fastify'
import { describe, expect, onTestFinished, test } from 'vitest'
import { startWorker } from '../../src/cli/worker-role.js'
import type { Deps } from '../../src/deps.js'
import { testApp } from '../harness.js'
import { smtpDialog } from './deliverability-inbound-helpers.js'

/** The worker role (`rapport worker`, `rapport start`) runs the inbound listener when configured and closes it when it stops. */

function capturingLog() {
  const lines: Record<string, unknown>[] = []
  const log = Fastify({
    logger: { level: 'info', stream: { write: (line: string) => lines.push(JSON.parse(line)) } },
  }).log
  return { lines, log }
}

const refuses = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', () => resolve(true))
  })

describe('the worker role and RAPPORT_SMTP_INBOUND', () => {
  test('starts the listener with the workers, a second worker on the same port runs without it, and stopping closes it', async () => {
    const h = await testApp({
      env: { RAPPORT_SMTP_INBOUND: '127.0.0.1:0', RAPPORT_SMTP_INBOUND_DOMAIN: 'bounces.rapport.test' },
    })
    const first = capturingLog()
    const role = await startWorker(h.deps, first.log)
    let stopped = false
    onTestFinished(async () => {
      if (!stopped) await role.stop()
    })
    const started = first.lines.find((l) => l.msg === 'inbound SMTP listener started')
    expect(started).toMatchObject({ host: '127.0.0.1', domain: 'bounces.rapport.test' })
    const port = started!.port as number
    const [greeting] = await smtpDialog(port, [])
    expect(greeting).toMatch(/^220 bounces\.rapport\.test /)

    // Another worker process on the machine, with the same setting: the port is taken.
    const inbound = { ...h.deps.config.deliverability.inbound!, port }
    const secondDeps: Deps = {
      ...h.deps,
      config: { ...h.deps.config, deliverability: { ...h.deps.config.deliverability, inbound } },
    }
    const second = capturingLog()
    const other = await startWorker(secondDeps, second.log)
    await other.stop()
    expect(second.lines.some((l) => l.level === 40 && String(l.msg).includes('the address is in use'))).toBe(true)
    expect(second.lines.some((l) => l.msg === 'inbound SMTP listener started')).toBe(false)

    await role.stop()
    stopped = true
    expect(first.lines.some((l) => l.msg === 'inbound SMTP listener stopped')).toBe(true)
    expect(await refuses(port)).toBe(true)
  })

  test('without RAPPORT_SMTP_INBOUND no listener starts', async () => {
    const h = await testApp()
    const { lines, log } = capturingLog()
    const role = await startWorker(h.deps, log)
    await role.stop()
    expect(lines.some((l) => String(l.msg).startsWith('inbound SMTP'))).toBe(false)
  })
})
