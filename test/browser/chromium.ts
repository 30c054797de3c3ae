import { existsSync, mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { type Browser, chromium } from 'playwright-core'
import { expect, test } from 'vitest'

/** Debian's Chromium: the browser tests drive it with playwright-core. */
export const CHROMIUM = '/usr/bin/chromium'
export const hasChromium = existsSync(CHROMIUM)

/**
 * In the calling test file: without Chromium, the browser tests are skipped with a warning on a
 * developer's machine, and a test named `name` fails in CI (which must install it).
 */
export function requireChromiumInCi(name = 'CI has Chromium for the browser tests') {
  if (!hasChromium && !process.env.CI) {
    console.warn(
      `Skipping the browser tests: ${CHROMIUM} is missing (apt-get install -y chromium to run them; CI requires it).`,
    )
  }
  test.runIf(!hasChromium && Boolean(process.env.CI))(name, () => {
    expect.fail(`${CHROMIUM} is missing: CI must install Chromium (see .ci/run)`)
  })
}

/** Headless Chromium as every browser test runs it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
}

/**
 * Whether to (re)write a documentation screenshot at `file`: when it is missing, or when
 * RAPPORT_SCREENSHOTS=1, so a normal run leaves the committed pictures alone. Makes its folder.
 */
export function shouldWriteScreenshot(file: string): boolean {
  if (process.env.RAPPORT_SCREENSHOTS !== '1' && existsSync(file)) return false
  mkdirSync(path.dirname(file), { recursive: true })
  return true
}

/** The loopback origin of a listening server: Rapport's, or a customer's site a test serves. */
export const originOf = (server: { address(): AddressInfo | string | null }) =>
  `http://127.0.0.1:${(server.address() as AddressInfo).port}`

/** Starts `app` on a free loopback port, for a browser to reach; resolves to its origin. */
export async function listenOnLoopback(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  return originOf(app.server)
}
