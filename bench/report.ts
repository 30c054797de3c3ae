/**
 * Turns paired rounds into the result table, and writes it into `docs/benchmarks.md` between this
 * benchmark's markers, so that other benchmarks can keep sections of their own in the same file.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import type { Measurement } from './load.js'

export interface Machine {
  cpu: string
  cpuCount: number
  memoryGiB: number
  os: string
  node: string
  postgres: string
  date: string
  /** The commit measured, and whether the working tree differed from it. */
  code: string
  /** 1-minute load averages when the run started and ended: well above 0, other work shared the machine. */
  loadAverages: number[]
}

/** Read-only git queries (GIT_OPTIONAL_LOCKS=0: `status` must not even refresh the index). */
function describeCode(): string {
  const git = (...args: string[]) =>
    execFileSync('git', args, { encoding: 'utf8', env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } }).trim()
  try {
    const commit = git('rev-parse', '--short', 'HEAD')
    const changed = git('status', '--porcelain') !== ''
    return changed ? `commit ${commit} plus uncommitted changes (working tree as it was)` : `commit ${commit}`
  } catch {
    return 'unknown (not a git checkout)'
  }
}

export function oneMinuteLoad(): number {
  return Math.round((os.loadavg()[0] ?? 0) * 100) / 100
}

export function describeMachine(postgresVersion: string): Machine {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres: postgresVersion,
    date: new Date().toISOString(),
    code: describeCode(),
    loadAverages: [oneMinuteLoad()],
  }
}

export interface Round {
  baseline: Measurement
  subject: Measurement
}

export interface ScenarioResult {
  title: string
  /** None for a row that only informs. */
  target?: number
  rounds: Round[]
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Nearest-rank percentile (`fraction` 0.5 for p50, 0.99 for p99) of an ascending array; NaN when empty. */
export function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!
}

/** The ratio of a scenario: the median of its per-round ratios (each round pairs runs made seconds apart). */
export function ratioOf(result: ScenarioResult): number {
  return median(result.rounds.map((r) => r.subject.reqPerSec / r.baseline.reqPerSec))
}

function latency(rounds: Round[], side: keyof Round): string {
  return `${median(rounds.map((r) => r[side].p50Ms))} / ${median(rounds.map((r) => r[side].p99Ms))}`
}

function serverCpu(rounds: Round[]): string {
  const of = (side: keyof Round) => Math.round(median(rounds.map((r) => r[side].serverCpuUsPerRequest ?? Number.NaN)))
  return `${of('baseline')} / ${of('subject')}`
}

export function resultTable(results: ScenarioResult[]): string {
  const rows = results.map((s) => {
    const ratio = ratioOf(s)
    return [
      s.title,
      Math.round(median(s.rounds.map((r) => r.baseline.reqPerSec))).toLocaleString('en-US'),
      Math.round(median(s.rounds.map((r) => r.subject.reqPerSec))).toLocaleString('en-US'),
      `${ratio.toFixed(2)}×`,
      s.target === undefined ? '—' : `≥ ${s.target.toFixed(1)}×`,
      s.target === undefined ? 'for information' : ratio >= s.target ? 'pass' : '**miss**',
      latency(s.rounds, 'baseline'),
      latency(s.rounds, 'subject'),
      serverCpu(s.rounds),
      s.rounds.map((r) => (r.subject.reqPerSec / r.baseline.reqPerSec).toFixed(2)).join(', '),
    ]
  })
  const header = [
    'scenario',
    'baseline req/s',
    'Rapport req/s',
    'ratio',
    'target',
    'result',
    'baseline p50 / p99 ms',
    'Rapport p50 / p99 ms',
    'server CPU µs/req (baseline / Rapport)',
    'ratio per round',
  ]
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n')
}

export function machineList(m: Machine): string {
  return [
    `- CPU: ${m.cpu}, ${m.cpuCount} logical cores (\`os.cpus()\`)`,
    `- Memory: ${m.memoryGiB} GiB`,
    `- OS: ${m.os}`,
    `- Node.js: ${m.node}`,
    `- PostgreSQL: ${m.postgres}`,
    `- Date: ${m.date}`,
    `- Code: ${m.code}`,
    `- 1-minute load average at the start and end of the run: ${m.loadAverages.join(' and ')} ` +
      `(with ${m.cpuCount} cores, anything well above 1 means other work shared the machine)`,
  ].join('\n')
}

/** Replaces the text between `begin` and `end` markers in `file` (appending the section if absent). */
export function writeSection(file: string, title: string, marker: string, body: string): void {
  const begin = `<!-- ${marker}:begin (written by npm run bench; edits inside are overwritten) -->`
  const end = `<!-- ${marker}:end -->`
  const section = `${begin}\n${body.trim()}\n${end}`
  const existing = existsSync(file)
    ? readFileSync(file, 'utf8')
    : `# ${title}\n\nEach benchmark in \`bench/\` writes its own section below, between its markers; ` +
      'a run replaces only its own section.\n'
  const start = existing.indexOf(`<!-- ${marker}:begin`)
  const stop = existing.indexOf(end)
  const next =
    start >= 0 && stop > start
      ? `${existing.slice(0, start)}${section}${existing.slice(stop + end.length)}`
      : `${existing.trimEnd()}\n\n${section}\n`
  writeFileSync(file, next)
}
