import path from 'node:path'

export type Plan = 'free' | 'pro' | 'teams'
export const PLANS: readonly Plan[] = ['free', 'pro', 'teams']

/** Every setting Rapport reads from the environment. `docs/configuration.md` documents each one. */
export interface Config {
  /** HOST: interface to listen on. Default 127.0.0.1. */
  host: string
  /** PORT: TCP port. Default 3000. */
  port: number
  /** DATABASE_URL: PostgreSQL connection string. Unset: embedded PGlite under `dataDir`. */
  databaseUrl: string | undefined
  /** RAPPORT_DATA_DIR: where the embedded database and generated files live. Default ./.rapport. */
  dataDir: string
  /** REDIS_URL: Redis for rate-limit counters shared by every API process. Unset: in-memory counters. */
  redisUrl: string | undefined
  /** RAPPORT_ADMIN_TOKEN: enables the operator provisioning API (/admin/v1). Unset: those routes are 404. */
  adminToken: string | undefined
  /** RAPPORT_RATE_LIMITS: requests per minute per key, by plan. Default free=10,pro=200,teams=300. */
  rateLimits: Record<Plan, number>
  /** RAPPORT_KEY_CACHE_MS: how long a verified API key is trusted before it is read again. Default 500 (revocation takes effect within 1 s everywhere). */
  keyCacheMs: number
  /** LOG_LEVEL: pino level. Default info. */
  logLevel: string
  /** RAPPORT_MASTER_KEY: base64 of 32 bytes that encrypt webhook secrets at rest. Unset: generated once into `dataDir/master.key`. Set it (the same everywhere) when several machines share one database. */
  masterKey: string | undefined
  webhooks: {
    /** RAPPORT_WEBHOOK_ALLOW_PRIVATE=1: allow http and private/loopback addresses (development and tests only). Default off. */
    allowPrivate: boolean
    /** RAPPORT_WEBHOOK_TIMEOUT_MS: how long one attempt may take. Default 15000. */
    timeoutMs: number
    /** RAPPORT_WEBHOOK_RETRY_SCHEDULE: seconds between attempts, comma-separated. Default 60,300,1800,7200,86400 (5 retries). */
    retryScheduleSec: number[]
    /** RAPPORT_WEBHOOK_DISABLE_AFTER_DAYS: disable an endpoint that has failed without a success for this long. Default 5. */
    disableAfterDays: number
    /** RAPPORT_WEBHOOK_RETENTION_DAYS: keep deliveries and attempts this long. Default 30. */
    retentionDays: number
  }
}

export function parseRetrySchedule(value: string | undefined): number[] {
  if (!value) return [60, 300, 1800, 7200, 86400]
  const steps = value.split(',').map((s) => Number(s.trim()))
  if (steps.some((n) => !Number.isFinite(n) || n < 0)) {
    throw new ConfigError(`RAPPORT_WEBHOOK_RETRY_SCHEDULE: "${value}" is not a comma-separated list of seconds`)
  }
  return steps
}

export class ConfigError extends Error {}

const DEFAULT_RATE_LIMITS: Record<Plan, number> = { free: 10, pro: 200, teams: 300 }

export function parseRateLimits(value: string | undefined): Record<Plan, number> {
  const limits = { ...DEFAULT_RATE_LIMITS }
  if (!value) return limits
  for (const part of value.split(',')) {
    const [plan, perMinute] = part.split('=').map((s) => s.trim())
    const n = Number(perMinute)
    if (!plan || !PLANS.includes(plan as Plan) || !Number.isInteger(n) || n < 1) {
      throw new ConfigError(`RAPPORT_RATE_LIMITS: "${part}" is not plan=requests (plans: ${PLANS.join(', ')})`)
    }
    limits[plan as Plan] = n
  }
  return limits
}

function intSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a non-negative integer, got "${raw}"`)
  return n
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    host: env.HOST || '127.0.0.1',
    port: intSetting(env, 'PORT', 3000),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.RAPPORT_DATA_DIR || '.rapport'),
    redisUrl: env.REDIS_URL || undefined,
    adminToken: env.RAPPORT_ADMIN_TOKEN || undefined,
    rateLimits: parseRateLimits(env.RAPPORT_RATE_LIMITS),
    keyCacheMs: intSetting(env, 'RAPPORT_KEY_CACHE_MS', 500),
    logLevel: env.LOG_LEVEL || 'info',
    masterKey: env.RAPPORT_MASTER_KEY || undefined,
    webhooks: {
      allowPrivate: env.RAPPORT_WEBHOOK_ALLOW_PRIVATE === '1' || env.RAPPORT_WEBHOOK_ALLOW_PRIVATE === 'true',
      timeoutMs: intSetting(env, 'RAPPORT_WEBHOOK_TIMEOUT_MS', 15_000),
      retryScheduleSec: parseRetrySchedule(env.RAPPORT_WEBHOOK_RETRY_SCHEDULE),
      disableAfterDays: intSetting(env, 'RAPPORT_WEBHOOK_DISABLE_AFTER_DAYS', 5),
      retentionDays: intSetting(env, 'RAPPORT_WEBHOOK_RETENTION_DAYS', 30),
    },
  }
}
