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
  }
}
