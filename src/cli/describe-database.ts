import type { Config } from '../config.js'

/** Where the data lives, for the startup log. Never the credentials of DATABASE_URL. */
export function describeDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): string {
  if (!config.databaseUrl) return `pglite in ${config.dataDir}`
  try {
    const url = new URL(config.databaseUrl)
    return `postgres at ${url.hostname || 'localhost'}:${url.port || '5432'}${url.pathname}`
  } catch {
    return 'postgres'
  }
}
