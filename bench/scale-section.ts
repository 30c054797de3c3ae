/** Renders the scale benchmark's section of docs/benchmarks.md. */
import { type Machine, machineList } from './report.js'
import type { ImportMeasurement } from './scale-imports.js'

export interface ScaleTable {
  title: string
  sizes: number[]
  /** Request label → median ms at each size, in `sizes` order. */
  rows: Map<string, number[]>
}

export interface ScaleResults {
  tables: ScaleTable[]
  /** The CSV import job against its baseline, on each engine measured. */
  imports: ImportMeasurement[]
  /** 1-minute load averages at the start, between the parts, and at the end. */
  loadAverages: number[]
}

const compact = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : String(n))

function renderTable(t: ScaleTable): string {
  const header = [
    'request',
    ...t.sizes.map((n) => `${compact(n)} (ms)`),
    `growth ${compact(t.sizes.at(-1)!)} / ${compact(t.sizes[0]!)}`,
  ]
  const rows = [...t.rows].map(([label, ms]) => [label, ...ms.map(String), `${(ms.at(-1)! / ms[0]!).toFixed(2)}×`])
  return [`### ${t.title}`, '', ...[header, header.map(() => '---'), ...rows].map((c) => `| ${c.join(' | ')} |`)].join(
    '\n',
  )
}

/** The goals of the issue for a 1M-row import on PostgreSQL (and the embedded database's read goal). */
const IMPORT_GOALS = { ratio: 0.5, rssMiB: 300, p99Ms: { PostgreSQL: 50, PGlite: 250 } }

const verdict = (met: boolean) => (met ? 'pass' : '**miss**')

function renderImports(imports: ImportMeasurement[]): string[] {
  if (imports.length === 0) return []
  const header = [
    'engine, rows',
    'baseline rows/s',
    'import rows/s (time)',
    `ratio (goal ≥ ${IMPORT_GOALS.ratio}×)`,
    `RSS before / peak, MiB (goal: peak < ${IMPORT_GOALS.rssMiB} on PostgreSQL)`,
    'GET by id p50 / p99 ms (goal p99)',
    'reads',
    'job',
  ]
  const rows = imports.map((m) => {
    const ratio = m.importRowsPerSec / m.baselineRowsPerSec
    const p99Goal = IMPORT_GOALS.p99Ms[m.engine]
    return [
      `${m.engine}, ${compact(m.rows)}`,
      m.baselineRowsPerSec.toLocaleString('en-US'),
      `${m.importRowsPerSec.toLocaleString('en-US')} (${m.importSec} s)`,
      `${ratio.toFixed(2)}× ${verdict(ratio >= IMPORT_GOALS.ratio)}`,
      `${m.rssOf}: ${m.rssBeforeMiB} / ${m.rssPeakMiB}` +
        (m.heapPeakMiB === undefined ? '' : ` (V8 heap peak ${m.heapPeakMiB})`) +
        (m.engine === 'PostgreSQL' ? ` ${verdict(m.rssPeakMiB < IMPORT_GOALS.rssMiB)}` : ' (for information)'),
      `${m.readP50Ms} / ${m.readP99Ms} (< ${p99Goal}: ${verdict(m.readP99Ms < p99Goal)})`,
      m.reads.toLocaleString('en-US'),
      `${m.status}: ${m.created.toLocaleString('en-US')} created, ${m.failed} failed`,
    ]
  })
  return [
    '### CSV import as a job',
    '',
    '`POST /api/v1/imports` with a generated CSV (name, email, company, tags, one custom field; every',
    'row a new contact), one import worker as the worker role runs it (500 rows per batch), timed',
    'from the upload’s first byte to',
    '`completed`. Baseline: the same number of rows inserted into the same table (all its indexes) in',
    'the same run, 500 rows per multi-row `INSERT`, no `COPY`, before the import. Meanwhile one client',
    'reads seeded contacts by id (`GET /api/v1/contacts/:id`, one every 50 ms, a new connection each).',
    'Memory: on PostgreSQL the worker runs in a process of its own, plain Node on compiled',
    'JavaScript as `rapport worker` runs it, so the server, the reader and the baseline in the',
    'benchmark’s process are not counted: its RSS when ready (before the upload) and its peak from',
    'then to the end, sampled every 50 ms. On the embedded database the worker shares the process',
    'holding the database (as `rapport start` runs it): the whole process’s RSS, sampled every 50 ms,',
    'database included (in memory here, with its write-ahead log), for information.',
    '',
    ...[header, header.map(() => '---'), ...rows].map((c) => `| ${c.join(' | ')} |`),
    '',
  ]
}

export function renderScaleSection(r: ScaleResults, machine: Machine): string {
  return [
    '## Scale: list requests at 10k, 100k and 1M contacts, events and audit log at 5M rows, a 1M-row import',
    '',
    'One organization; each figure is the median of 7 requests (after 2 warm-up requests) from one',
    'client over loopback HTTP, measured at each size in one run as the table grows. The requests of',
    'a table are sent in rounds, each once per round, so a stall of the machine costs one sample of',
    'many requests rather than every sample of one. Goals: at 1M contacts on PostgreSQL every request',
    '≤ 25 ms and within 2× of its 10k figure; on the embedded database, 100k within 3× of 10k. Cursor',
    'pages are taken from the middle of the table.',
    '',
    ...r.tables.flatMap((t) => [renderTable(t), '']),
    ...renderImports(r.imports),
    '### Machine',
    '',
    machineList(machine),
    `- 1-minute load averages through the run (start, between parts, end): ${r.loadAverages.join(', ')}`,
    '',
    '### Reproduce',
    '',
    '```sh',
    'BENCH_SCENARIOS=scale npm run bench   # BENCH_SCALE_DATABASE_URL picks the PostgreSQL database (its public schema is reset)',
    '```',
  ].join('\n')
}
