/**
 * The child processes of the webhook benchmark: the receiver and the baseline (forked, over IPC),
 * and the Rapport worker (`node --import tsx src/main.ts worker`, exactly as an operator runs it).
 * Every one is stopped by the benchmark, also after an error; each exits by itself if the
 * benchmark process goes away (IPC disconnect), except the worker, which is killed by pid.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { nextMessage } from './child-messages.js'
import type { BaselineMessage, BaselineRun } from './webhooks-baseline.js'
import type { ReceiverMessage, ReceiverRequest } from './webhooks-receiver.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const MAIN = path.join(ROOT, 'src/main.ts')
const START_TIMEOUT_MS = 60_000
const STOP_TIMEOUT_MS = 20_000

function forkBench(file: string): ChildProcess {
  return fork(fileURLToPath(new URL(file, import.meta.url)), [], {
    // Inherit the tsx loader that runs this script.
    execArgv: process.execArgv,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
}

async function ended(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
    }, timeoutMs)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

export interface Receiver {
  url: string
  pid: number
  reset(record: boolean): Promise<void>
  stats(arrivals?: boolean): Promise<Extract<ReceiverMessage, { type: 'stats' }>>
  stop(): Promise<void>
}

export async function startReceiver(): Promise<Receiver> {
  const child = forkBench('./webhooks-receiver.ts')
  const ask = <T extends ReceiverMessage>(req: ReceiverRequest, reply: T['type']) => {
    const answer = nextMessage<T>(child, reply, STOP_TIMEOUT_MS)
    child.send(req)
    return answer
  }
  let port: number
  try {
    port = (await nextMessage<Extract<ReceiverMessage, { type: 'listening' }>>(child, 'listening', START_TIMEOUT_MS))
      .port
  } catch (err) {
    child.kill('SIGKILL')
    throw new Error(`receiver: ${(err as Error).message}`)
  }
  return {
    url: `http://127.0.0.1:${port}/hook`,
    pid: child.pid ?? 0,
    reset: async (record) => {
      await ask({ type: 'reset', record }, 'reset')
    },
    stats: (arrivals = false) => ask({ type: 'stats', arrivals }, 'stats'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.send({ type: 'close' } satisfies ReceiverRequest)
      await ended(child, STOP_TIMEOUT_MS)
    },
  }
}

export interface Baseline {
  pid: number
  run(opts: Omit<BaselineRun, 'type'>): Promise<Extract<BaselineMessage, { type: 'done' }>>
  stop(): Promise<void>
}

export async function startBaseline(): Promise<Baseline> {
  const child = forkBench('./webhooks-baseline.ts')
  try {
    await nextMessage(child, 'ready', START_TIMEOUT_MS)
  } catch (err) {
    child.kill('SIGKILL')
    throw new Error(`baseline: ${(err as Error).message}`)
  }
  return {
    pid: child.pid ?? 0,
    async run(opts) {
      const done = nextMessage<Extract<BaselineMessage, { type: 'done' }>>(child, 'done', 10 * 60_000)
      child.send({ type: 'run', ...opts } satisfies BaselineRun)
      return done
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.send({ type: 'close' })
      await ended(child, STOP_TIMEOUT_MS)
    },
  }
}

export interface WorkerProcess {
  pid: number
  /** `Date.now()` of the worker's "webhook worker started" log line (its first claim is under way). */
  startedAtMs: number
  /** Log lines at level error or above so far. */
  errors(): string[]
  /** CPU time (user + system) the worker process has used so far, in µs; undefined without /proc. */
  cpuUs(): number | undefined
  /** SIGTERM, then SIGKILL after 20 s; resolves once it has exited. */
  stop(): Promise<void>
  /** SIGKILL now, if it still runs (synchronous: for an exit handler). */
  kill(): void
}

/** Settings of this process that must not leak into the worker. */
const NOT_INHERITED = ['DATABASE_URL', 'REDIS_URL', 'RAPPORT_DATA_DIR', 'RAPPORT_ADMIN_TOKEN', 'HOST', 'PORT']

/** `rapport worker` against `databaseUrl`, allowed to deliver to loopback, with the default concurrency (32). */
export async function startWorkerProcess(opts: {
  databaseUrl: string
  masterKey: Buffer
  nodeFlags?: string[]
}): Promise<WorkerProcess> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rapport-bench-worker-'))
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const name of NOT_INHERITED) delete env[name]
  Object.assign(env, {
    DATABASE_URL: opts.databaseUrl,
    RAPPORT_MASTER_KEY: opts.masterKey.toString('base64'),
    RAPPORT_WEBHOOK_ALLOW_PRIVATE: '1',
    RAPPORT_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
  })
  const child = spawn(process.execPath, [...(opts.nodeFlags ?? []), '--import', 'tsx', MAIN, 'worker'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const errors: string[] = []
  let stderr = ''
  let buffered = ''
  let onStarted: ((timeMs: number) => void) | undefined
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk
    const lines = buffered.split('\n')
    buffered = lines.pop() ?? ''
    for (const line of lines) {
      let entry: { level?: number; msg?: string; time?: number }
      try {
        entry = JSON.parse(line)
      } catch {
        continue
      }
      if ((entry.level ?? 0) >= 50) errors.push(line.slice(0, 500))
      if (entry.msg === 'webhook worker started') onStarted?.(entry.time ?? Date.now())
    }
  })
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000)
  })
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      await ended(child, STOP_TIMEOUT_MS)
    }
    rmSync(dataDir, { recursive: true, force: true })
  }
  let startedAtMs: number
  try {
    startedAtMs = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not started within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS)
      child.once('exit', (code) => reject(new Error(`exited (code ${code}) before it started: ${stderr}`)))
      onStarted = (timeMs) => {
        clearTimeout(timer)
        resolve(timeMs)
      }
    })
  } catch (err) {
    await stop()
    throw new Error(`rapport worker: ${(err as Error).message}`)
  }
  const pid = child.pid ?? 0
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  return { pid, startedAtMs, errors: () => errors, cpuUs: () => processCpuUs(pid), stop, kill }
}

export const TICKS_PER_SEC = 100 // USER_HZ of /proc on Linux

/** CPU time (user + system) of process `pid` in µs, from /proc; undefined where there is no /proc. */
export function processCpuUs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // Fields 14 and 15 of proc(5) (utime, stime) are at 11 and 12 once pid and comm are cut off.
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS_PER_SEC
  } catch {
    return undefined
  }
}

/** Busy and total CPU time of the whole machine (all cores) so far, in ticks; undefined without /proc. */
export function machineCpuTicks(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!
    const values = line.trim().split(/\s+/).slice(1, 9).map(Number)
    const total = values.reduce((a, b) => a + b, 0)
    const idle = (values[3] ?? 0) + (values[4] ?? 0)
    return { busy: total - idle, total }
  } catch {
    return undefined
  }
}

/** CPU time of each process in `pids` now (those without /proc or gone are left out). */
export function cpuOf(pids: number[]): Map<number, number> {
  const cpu = new Map<number, number>()
  for (const pid of pids) {
    const us = processCpuUs(pid)
    if (us !== undefined) cpu.set(pid, us)
  }
  return cpu
}

/** CPU used between two `cpuOf` readings; a process absent from `before` started after it. */
export function cpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0
  for (const [pid, us] of after) sum += us - (before.get(pid) ?? 0)
  return sum
}

export interface CpuReading {
  atMs: number
  machine: { busy: number; total: number } | undefined
  processes: Map<number, number>
  selfUs: number
}

/** The machine's CPU counters and the CPU time of `pids` and of this process, now. */
export function readCpu(pids: number[]): CpuReading {
  const { user, system } = process.cpuUsage()
  return { atMs: Date.now(), machine: machineCpuTicks(), processes: cpuOf(pids), selfUs: user + system }
}

export interface CpuShare {
  /** Share of all the machine's cores that was busy, %. */
  busyPct: number
  /** Cores' worth of CPU used by processes other than `pids` and this one (other work on the machine). */
  otherCores: number
}

/** Between two readings; undefined without /proc. */
export function cpuShare(before: CpuReading, after: CpuReading): CpuShare | undefined {
  if (!before.machine || !after.machine || after.machine.total === before.machine.total) return undefined
  const busyTicks = after.machine.busy - before.machine.busy
  const busyPct = (100 * busyTicks) / (after.machine.total - before.machine.total)
  const mineUs = cpuSince(before.processes, after.processes) + (after.selfUs - before.selfUs)
  const otherUs = (busyTicks * 1e6) / TICKS_PER_SEC - mineUs
  return { busyPct, otherCores: Math.max(0, otherUs / ((after.atMs - before.atMs) * 1000)) }
}
