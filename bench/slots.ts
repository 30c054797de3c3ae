/**
 * The slot engine's cost: computing a 31-day range (March 2026, with the New York and Paris DST
 * changes in it) for a host with 500 existing bookings, against a baseline of the same expansion
 * with zero bookings, measured in the same run with the two interleaved. Pure CPU, no database.
 * Not wired into `bench/run.ts`; run alone with `npx tsx bench/slots.ts`.
 */
import { fileURLToPath } from 'node:url'
import { computeSlots, type ExistingBooking, type SchedulingInput } from '../src/scheduling/index.js'

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

const QUERY = { start: '2026-03-01', end: '2026-03-31', timezone: 'Europe/Paris' }

function percentile(sortedMs: number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1)]!
}

function timing(samplesMs: number[]): Timing {
  const sorted = [...samplesMs].sort((a, b) => a - b)
  return { medianMs: percentile(sorted, 50), p99Ms: percentile(sorted, 99) }
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
  const iterations = options.iterations ?? 300
  const warmup = options.warmup ?? 30
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(runSlotsBenchmark(), null, 2))
}
