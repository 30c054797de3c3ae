import { Redis } from 'ioredis'
import pg from 'pg'

/**
 * The Redis and PostgreSQL that the store-level and multi-process tests use: REDIS_URL and
 * DATABASE_URL when set (CI's second pass), else the usual loopback ports. A service named by its
 * variable must be reachable (a failure, so CI cannot skip silently); a default one may be absent,
 * and the tests that need it are skipped with the reason.
 */
export const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379'
/** Where the multi-process test creates (and drops) a private database of its own. */
export const postgresAdminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'

/** Undefined when Redis answers PING, else why not. Throws if REDIS_URL was set and is unreachable. */
export async function whyRedisUnavailable(): Promise<string | undefined> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  })
  redis.on('error', () => {})
  try {
    await redis.connect()
    await redis.ping()
    return undefined
  } catch (err) {
    const reason = `Redis is not reachable at ${redacted(redisUrl)} (${(err as Error).message})`
    if (process.env.REDIS_URL) throw new Error(`REDIS_URL is set but ${reason}`)
    return reason
  } finally {
    redis.disconnect()
  }
}

/** Undefined when PostgreSQL answers, else why not. Throws if DATABASE_URL was set and is unreachable. */
export async function whyPostgresUnavailable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 2000 })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query('select 1')
    return undefined
  } catch (err) {
    const reason = `PostgreSQL is not reachable at ${redacted(postgresAdminUrl)} (${(err as Error).message})`
    if (process.env.DATABASE_URL) throw new Error(`DATABASE_URL is set but ${reason}`)
    return reason
  } finally {
    await client.end().catch(() => {})
  }
}

/** A connection string without its password, for messages. */
export function redacted(url: string): string {
  const u = new URL(url)
  if (u.password) u.password = '***'
  return u.toString()
}
