import type { CpuShare } from './webhooks-children.js'

/** The webhook benchmark's plan (counts, rates, bounds, targets) and the shape of its results. */

/** The figures and their targets. */
export const WEBHOOK_PLAN = {
  deliveries: 20_000,
  /** The worker's default `concurrency` (src/webhook-worker/worker.ts), given to the baseline too. */
  concurrency: 32,
  /** Unmeasured POSTs the baseline makes first. */
  baselineWarmup: 2_000,
  targetRatio: 0.3,
  steady: { perSec: 200, durationMs: 10_000 },
  targetP50Ms: 50,
  targetP99Ms: 250,
  overload: { perSec: 1_000, durationMs: 5_000 },
  warmup: { perSec: 100, durationMs: 2_000 },
  /** Outstanding API requests at most (the load generator's connections). */
  maxInFlight: 64,
  sampleEveryMs: 500,
  /** Bounds: past these the run fails (something is broken, not merely slow). */
  drainTimeoutMs: 150_000,
  settleTimeoutMs: 60_000,
  /** The API process's `pg` pool, as in the API benchmark. */
  apiPoolSize: 10,
} as const

export interface ThroughputFigures {
  deliveries: number
  enqueueMs: number
  workerPerSec: number
  workerElapsedMs: number
  workerCpuUsPerDelivery: number | undefined
  /** The machine's CPU while the worker drained the queue: busy share, and other work's. */
  cpu: CpuShare | undefined
  receiverCpuUsPerRequest: number
  /** CPU of the PostgreSQL backends of this database (the worker's, while it drained) per delivery. */
  postgresCpuUsPerDelivery: number
  /** Database transactions per delivery (each batch of recorded attempts is one, each claim statement one). */
  transactionsPerDelivery: number
  /** Mean `duration_ms` of the attempts (the POST as the worker timed it). */
  meanSendMs: number
  attempts: number
  receiverRequests: number
  distinctIds: number
  baselines: { perSec: number; elapsedMs: number; cpuUsPerPost: number; cpu: CpuShare | undefined }[]
  ratio: number
}

export interface LatencyFigures {
  requestedPerSec: number
  durationSec: number
  sent: number
  achievedPerSec: number
  matched: number
  latency: { min: number; p50: number; p90: number; p99: number; max: number }
  response: { p50: number; p99: number }
  /** `[seconds since the load started, pending deliveries]`, every 500 ms, until back to 0. */
  pending: [number, number][]
  loadSec: number
  peakPending: number
  /** Backlog growth while loaded, deliveries/s (a least-squares slope over the samples under load). */
  growthPerSec: number
  /** From the last 201 to the worker recording the phase's last delivery (its `updated_at`). */
  drainedAfterMs: number
  apiCpuUsPerRequest: number
  /** CPU of every PostgreSQL backend of this database per contact created (the create and its delivery). */
  postgresCpuUsPerRequest: number
  /** The machine's CPU during the phase: busy share, and other work's. */
  cpu: CpuShare | undefined
  workerCpuUsPerDelivery: number | undefined
}

export interface WebhookResults {
  throughput: ThroughputFigures
  steady: LatencyFigures
  overload: LatencyFigures
}
