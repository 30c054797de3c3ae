import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, test } from 'vitest'
import { hasChromium, launchChromium, requireChromiumInCi } from '../browser/chromium.js'
import { tempDir } from './rapport-process.js'

/*
 * The README's quick start, run as written on a fresh data dir: every command of its shell blocks,
 * in order, then the sign-in link it printed opened in Chromium, ending signed in on /app. Two
 * liberties, both needed on a shared machine: `npm ci` is not run (the test runs inside the
 * installed tree), and the server listens on a free port (PORT=0) whose address replaces
 * http://127.0.0.1:3000 in the commands.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const README_ADDRESS = 'http://127.0.0.1:3000'
const dataDir = path.join(tempDir('rapport-quick-start-'), 'data')

/** The shell commands of the README's quick start, continuation lines joined, comments dropped. */
function quickStartCommands(): string[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('### Webhooks on your machine'))
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!)
  return blocks.flatMap((block) =>
    block
      .replace(/\\\n\s*/g, '')
      .split('\n')
      .map((line) => line.replace(/\s+#.*$/, '').trim())
      .filter((line) => line !== ''),
  )
}

const running = new Set<ChildProcess>()
afterAll(() => {
  // The server was started in its own process group (npm and node under it): end that group.
  for (const child of running) {
    if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL')
  }
})

function envOf(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env }
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'RAPPORT_ADMIN_TOKEN', 'RAPPORT_PUBLIC_URL', 'HOST'])
    delete env[name]
  return { ...env, RAPPORT_DATA_DIR: dataDir, PORT: '0', RAPPORT_LOG_FORMAT: 'json', ...extra }
}

function run(
  command: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c))
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** Starts a long-running command; resolves with the banner's log line once it is printed. */
async function startServer(command: string, env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
  const child = spawn('sh', ['-c', command], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  running.add(child)
  let out = ''
  let err = ''
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c))
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c))
  const deadline = Date.now() + 240_000
  for (;;) {
    const banner = out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => typeof l.dashboard === 'string')
    if (banner) return banner
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no start-up banner:\n${out}\n${err}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('the README quick start', () => {
  requireChromiumInCi()

  test.runIf(hasChromium)(
    'runs as written on a fresh data dir and ends signed in to the dashboard',
    async () => {
      const commands = quickStartCommands()
      expect(commands.slice(0, 3)).toEqual([
        'npm ci',
        'npm start',
        './rapport org create --name Acme --plan teams --owner-email you@example.com',
      ])
      let env = envOf({})
      let origin = ''
      let signInLink = ''
      let printedKey = ''
      let contactsListed = false
      for (const written of commands) {
        const command = origin ? written.replaceAll(README_ADDRESS, origin) : written
        if (command === 'npm ci') continue
        if (command === 'npm start') {
          const banner = await startServer(command, env)
          origin = String(banner.url)
          expect(banner).toMatchObject({ dashboard: `${origin}/app`, api: `${origin}/api/v1`, docs: `${origin}/docs` })
          continue
        }
        if (command.startsWith('export RAPPORT_KEY=')) {
          expect(printedKey).toMatch(/^rk_live_/)
          env = { ...env, RAPPORT_KEY: printedKey }
          continue
        }
        const result = await run(command, env)
        expect(result.code, `${command}\n${result.stdout}\n${result.stderr}`).toBe(0)
        if (command.includes('org create')) {
          signInLink = result.stdout.match(/http:\/\/\S+\/app\/sign-in-link#token=\S+/)?.[0] ?? ''
          expect(signInLink.startsWith(`${origin}/app/sign-in-link#token=`)).toBe(true)
          printedKey = result.stdout.match(/rk_live_\w+/)?.[0] ?? ''
        } else if (command.includes('-X POST') && command.includes('/api/v1/contacts')) {
          expect(JSON.parse(result.stdout)).toMatchObject({ object: 'contact', email: 'jane@example.com' })
        } else if (command.includes('/api/v1/contacts?')) {
          const list = JSON.parse(result.stdout) as { data: { email: string }[] }
          expect(list.data.map((c) => c.email)).toContain('jane@example.com')
          contactsListed = true
        }
      }
      expect(contactsListed).toBe(true)

      const browser = await launchChromium()
      try {
        const page = await browser.newPage()
        await page.goto(signInLink)
        await page.getByRole('heading', { level: 1, name: 'Welcome to Acme' }).waitFor()
        await page.getByLabel('Password').fill('correct horse battery staple')
        await page.getByRole('button', { name: 'Set password and sign in' }).click()
        await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor()
        expect(new URL(page.url()).pathname).toBe('/app')
        const session = await page.evaluate(async () => (await fetch('/api/v1/session')).json())
        expect(session).toMatchObject({
          user: { email: 'you@example.com', role: 'owner' },
          organization: { name: 'Acme' },
        })
      } finally {
        await browser.close()
      }
    },
    420_000,
  )
})
