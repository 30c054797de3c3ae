import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const MAIN = path.join(ROOT, 'src/main.ts')

/** Settings of the test process that must not leak into the spawned ones (CI's shared database…). */
const INHERITED_UNSET = ['DATABASE_URL', 'REDIS_URL', 'RAPPORT_DATA_DIR', 'RAPPORT_ADMIN_TOKEN', 'HOST', 'PORT']

const running = new Set<ChildProcess>()

/** Kills every process this file spawned that still runs. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => stop(child, 'SIGKILL')))
}

afterAll(stopAll)

function envFor(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env }
  for (const name of INHERITED_UNSET) delete base[name]
  return { ...base, LOG_LEVEL: 'info', PORT: '0', ...env }
}

export interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface RapportProcess {
  child: ChildProcess
  stdout(): string
  stderr(): string
  exited: Promise<Exit>
  /** The first JSON log line that `match` accepts. */
  waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>
  /** The URL from the startup log line. */
  waitForUrl(timeoutMs?: number): Promise<string>
}

/** Spawns `rapport <args>` as its own process; every one is killed after the test file at the latest. */
export function spawnRapport(args: string[], env: Record<string, string> = {}): RapportProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    env: envFor(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  let out = ''
  let err = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk
  })
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk
  })
  const exited = new Promise<Exit>((resolve) => {
    child.on('close', (code, signal) => {
      running.delete(child)
      resolve({ code, signal })
    })
  })
  const waitForLog: RapportProcess['waitForLog'] = async (match, timeoutMs = 120_000) => {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = logLines(out).find(match)
      if (found) return found
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`rapport ${args.join(' ')} exited (${child.exitCode ?? child.signalCode}):\n${out}\n${err}`)
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for a log line:\n${out}\n${err}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForLog,
    waitForUrl: async (timeoutMs) =>
      String((await waitForLog((l) => typeof l.url === 'string' && 'role' in l, timeoutMs)).url),
  }
}

export interface CliResult extends Exit {
  stdout: string
  stderr: string
  /** stdout parsed as the one JSON object that --json promises. */
  json: Record<string, unknown>
}

/** Runs a one-shot command to its end. */
export async function runRapport(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const proc = spawnRapport(args, env)
  const exit = await proc.exited
  let json: Record<string, unknown> = {}
  try {
    json = JSON.parse(proc.stdout())
  } catch {}
  return { ...exit, stdout: proc.stdout(), stderr: proc.stderr(), json }
}

/** Signals the process and waits for it to end (SIGKILL after `graceMs`). */
export async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()))
  child.kill(signal)
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await closed
  clearTimeout(timer)
}

/** A fresh directory under the OS temp dir, removed after the suite. Call it while tests are collected, not in a test. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix))
  afterAll(async () => {
    await stopAll()
    rmSync(dir, { recursive: true, force: true })
  })
  return dir
}

function logLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>]
      } catch {
        return []
      }
    })
}
