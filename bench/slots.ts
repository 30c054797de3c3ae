/**
 * The slot engine's cost: computing a 31-day range (March 2026, with the New York and Paris DST
 * changes in it) for a host with 500 existing bookings, against a baseline of the same expansion
 * with zero bookings, measured in the same run with the two interleaved. Pure CPU, no database.
 * Part of `npm run bench` (scenario id `slots`: `BENCH_SCENARIOS=slots npm run bench` runs only it and
 * writes its section of docs/benchmarks.md); `npx tsx bench/slots.ts` prints the figures as JSON.
 */
import { fileURLToPath } from 'node:url'
import { computeSlots, type ExistingBooking, type SchedulingInput } from '../src/slot-engine/index.js'
import { describeMachine, machineList, oneMinuteLoad, percentile, writeSection } from './report.js'

export const SLOTS_SCENARIO_ID = 'slots'

export interface Timing {
  medianMs: number
  p99Ms: number
}

export interface SlotsBenchmarkResult {
  iterations: number
  bookings: number
  slotsWithBookings: number
  slotsWithoutBookings: number
  baseline: Timing
  withBookings: Timing
  /** withBookings.medianMs / baseline.medianMs */
  medianRatio: number
}

const ITERATIONS = 300
const WARMUP = 30

const QUERY = { start: '2026-03-01', end: '2026-03-31', timezone: 'Europe/Paris' }

function timing(samplesMs: number[]): Timing {
  const sorted = [...samplesMs].sort((a, b) => a - b)
  return { medianMs: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) }
}

/** 500 bookings of 15 to 90 minutes on quarter hours in March, some overlapping, from a fixed seed. */
function seededBookings(count: number): ExistingBooking[] {
  let state = 42
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    return state / 2 ** 31
  }
  const from = Date.parse('2026-03-01T00:00:00Z')
  return Array.from({ length: count }, () => {
    const startMs = from + Math.floor(next() * 31 * 96) * 15 * 60_000
    return { start: new Date(startMs), end: new Date(startMs + (1 + Math.floor(next() * 6)) * 15 * 60_000) }
  })
}

function hostInput(bookings: ExistingBooking[]): SchedulingInput {
  return {
    hostTimeZone: 'America/New_York',
    availability: {
      weekly: (['mon', 'tue', 'wed', 'thu', 'fri'] as const).flatMap((day) => [
        { day, start: '08:00', end: '12:00' },
        { day, start: '13:00', end: '18:00' },
      ]),
      overrides: [{ date: '2026-03-17', ranges: [] }],
    },
    eventType: { duration_minutes: 30, slot_step_minutes: 15, buffer_before_minutes: 5, buffer_after_minutes: 10 },
    bookings,
    nowMs: Date.parse('2026-02-20T00:00:00Z'),
  }
}

export function runSlotsBenchmark(options: { iterations?: number; warmup?: number } = {}): SlotsBenchmarkResult {
  const iterations = options.iterations ?? ITERATIONS
  const warmup = options.warmup ?? WARMUP
  const loaded = hostInput(seededBookings(500))
  const empty = hostInput([])
  const count = (input: SchedulingInput) =>
    Object.values(computeSlots(input, QUERY).slots).reduce((n, slots) => n + slots.length, 0)
  for (let i = 0; i < warmup; i++) {
    count(empty)
    count(loaded)
  }
  const baselineMs: number[] = []
  const loadedMs: number[] = []
  for (let i = 0; i < iterations; i++) {
    // Interleaved, so that drift on a shared machine hits both sides alike.
    let t = performance.now()
    computeSlots(empty, QUERY)
    baselineMs.push(performance.now() - t)
    t = performance.now()
    computeSlots(loaded, QUERY)
    loadedMs.push(performance.now() - t)
  }
  const baseline = timing(baselineMs)
  const withBookings = timing(loadedMs)
  return {
    iterations,
    bookings: loaded.bookings.length,
    slotsWithBookings: count(loaded),
    slotsWithoutBookings: count(empty),
    baseline,
    withBookings,
    medianRatio: withBookings.medianMs / baseline.medianMs,
  }
}

/** Runs the benchmark and writes its section (`bench:slots`) into `docsFile`. */
export function runSlotsReport(settings: { docsFile: string }): SlotsBenchmarkResult {
  const machine = describeMachine('not used (pure CPU)')
  process.stderr.write(`slots: ${ITERATIONS} interleaved pairs after ${WARMUP} unmeasured ones\n`)
  const result = runSlotsBenchmark()
  machine.loadAverages.push(oneMinuteLoad())
  const section = renderSlotsSection(result, machineList(machine))
  process.stdout.write(`\n${section}\n`)
  writeSection(settings.docsFile, 'Benchmarks', 'bench:slots', section)
  process.stderr.write('slots: written to docs/benchmarks.md\n')
  return result
}

export function renderSlotsSection(r: SlotsBenchmarkResult, machine: string): string {
  const ms = (n: number) => n.toFixed(3)
  return `## Scheduling: slot computation

A ${QUERY.end.slice(-2)}-day slots query (\`${QUERY.start}\` to \`${QUERY.end}\`, visitor in \`${QUERY.timezone}\`) for a
host in \`America/New_York\` (weekdays 08:00–12:00 and 13:00–18:00, one day off, 30-minute event
every 15 minutes, 5 + 10 minutes of buffers; both DST changes of the month in range), computed by
\`computeSlots\` alone: no database, no HTTP.

| case | slots offered | median ms | p99 ms |
| --- | --- | --- | --- |
| baseline: no bookings | ${r.slotsWithoutBookings.toLocaleString('en-US')} | ${ms(r.baseline.medianMs)} | ${ms(r.baseline.p99Ms)} |
| ${r.bookings} existing bookings | ${r.slotsWithBookings.toLocaleString('en-US')} | ${ms(r.withBookings.medianMs)} | ${ms(r.withBookings.p99Ms)} |

Ratio (median with bookings ÷ median without): **${r.medianRatio.toFixed(2)}×**; p99 ratio
${(r.withBookings.p99Ms / r.baseline.p99Ms).toFixed(2)}×.

${r.iterations} measured pairs after ${WARMUP} unmeasured ones, the two cases interleaved in each pair so
that drift on a shared machine hits both alike. The ${r.bookings} bookings (15 to 90 minutes, on quarter
hours, some overlapping) come from a fixed seed, so every run computes the same slots.

### Machine

${machine}

### Reproduce

\`BENCH_SCENARIOS=slots npm run bench\` (writes this section), or \`npx tsx bench/slots.ts\` (prints the figures).`
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(runSlotsBenchmark(), null, 2))
}
