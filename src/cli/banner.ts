import type { Config } from '../config.js'
import { describeDatabase } from './describe-database.js'
import type { ServerRole } from './parse-command.js'

/** The banner's top-level fields: the pretty log shows them as the lines of its message instead. */
export const BANNER_FIELDS = ['role', 'url', 'dashboard', 'api', 'docs', 'engine', 'database', 'data_dir', 'adminApi']

export interface Banner {
  /** The fields of the log line (for JSON logs and the tests that read them). */
  facts: Record<string, unknown>
  /** The message: one line per fact, for people reading a terminal. */
  message: string
}

/**
 * What an operator checks first: where the dashboard, the API and its reference are, on which
 * database and data dir, whether /admin/v1 is open. `baseUrl`: RAPPORT_PUBLIC_URL, else the
 * address the server listens on; none for a worker, which serves nothing.
 */
export function startupBanner(
  role: ServerRole,
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'adminToken'>,
  listenUrl: string | undefined,
  baseUrl: string | undefined,
): Banner {
  const database = describeDatabase(config)
  const engine = config.databaseUrl ? 'postgres' : 'pglite'
  const dataDir = config.dataDir
  const where = config.databaseUrl ? database : `embedded PGlite, data dir ${dataDir}`
  if (!listenUrl || !baseUrl) {
    return {
      facts: { role, engine, database, data_dir: dataDir },
      message: [`Rapport ${role} running`, `  Database   ${where}`].join('\n'),
    }
  }
  const urls = { dashboard: `${baseUrl}/app`, api: `${baseUrl}/api/v1`, docs: `${baseUrl}/docs` }
  const admin = config.adminToken ? `enabled at ${baseUrl}/admin/v1` : 'disabled (set RAPPORT_ADMIN_TOKEN to enable)'
  return {
    facts: { role, url: listenUrl, ...urls, engine, database, data_dir: dataDir, adminApi: Boolean(config.adminToken) },
    message: [
      `Rapport ${role} listening at ${listenUrl}`,
      `  Dashboard  ${urls.dashboard}`,
      `  API        ${urls.api}`,
      `  API docs   ${urls.docs}`,
      `  Database   ${where}`,
      `  Admin API  ${admin}`,
    ].join('\n'),
  }
}
