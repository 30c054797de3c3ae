/** Renders the scale benchmark's section of docs/benchmarks.md. */
import { type Machine, machineList } from './report.js'

export interface ScaleTable {
  title: string
  sizes: number[]
  /** Request label → median ms at each size, in `sizes` order. */
  rows: Map<string, number[]>
}

export interface ScaleResults {
  tables: ScaleTable[]
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

export function renderScaleSection(r: ScaleResults, machine: Machine): string {
  return [
    '## Scale: list requests at 10k, 100k and 1M contacts, events and audit log at 5M rows',
    '',
    'One organization; each figure is the median of 7 requests (after 2 warm-up requests) from one',
    'client over loopback HTTP, measured at each size in one run as the table grows. Goals: at 1M',
    'contacts on PostgreSQL every request ≤ 25 ms and within 2× of its 10k figure; on the embedded',
    'database, 100k within 3× of 10k. Cursor pages are taken from the middle of the table.',
    '',
    ...r.tables.flatMap((t) => [renderTable(t), '']),
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
