/**
 * One benchmark server, run in its own process by `bench/run.ts` (forked, talking over IPC):
 *
 * - `bare`: Fastify + `pg`, no hooks, no schemas, the same SQL as Rapport for the resource; with
 *   BENCH_BARE_PREPARED=1, as named prepared statements.
 * - `rapport`: the full stack (`createDeps` + `buildApp`), with the Redis limiter when REDIS_URL is set.
 *
 * Both listen on 127.0.0.1, port 0, with logging off and a pool of BENCH_POOL_SIZE connections.
 * It sends `{ type: 'listening', port }`; answers `{ type: 'cpu' }` with the CPU time this process
 * has used so far; and on `{ type: 'close' }` closes everything, sends `{ type: 'closed',
 * limiterErrors }` and exits.
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Fastify, { type FastifyInstance } from 'fastify'
import pg from 'pg'

export type ServerKind = 'bare' | 'rapport'

export type ServerMessage =
  | { type: 'listening'; port: number }
  | { type: 'cpu'; cpuUs: number }
  | { type: 'closed'; limiterErrors: number }

/** High enough that the limiter never rejects during a run, so it is exercised but never answers 429. */
const UNREACHABLE_RATE_LIMIT = 1_000_000_000

const CONTACT_COLUMNS = 'id, name, email, phone, company, status, source, tags, custom_fields, created_at, updated_at'

// The baseline's statements: the same contact read as Rapport's, and a plain single-row insert.
const SELECT_CONTACT = `select ${CONTACT_COLUMNS} from contacts where org_id = $1 and livemode = $2 and id = $3`
const INSERT_CONTACT = `insert into contacts (name, email, phone, company, status, source, tags, custom_fields, id, org_id, livemode)
  values ($1, $2, null, null, 'lead', 'api', '{}', '{}', $3, $4, $5) returning ${CONTACT_COLUMNS}`

function requiredEnv(name: string): string {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is required`)
  return value
}

/**
 * With `prepared`, each statement is a named prepared statement (parsed and planned once per
 * connection), as Rapport's recurring statements are: the baseline for the stack's own overhead.
 */
async function startBare(databaseUrl: string, poolSize: number, orgId: string, prepared: boolean) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize })
  const app = Fastify({ logger: false })
  const named = (name: string) => (prepared ? { name } : {})
  app.get<{ Params: { id: string } }>('/api/v1/contacts/:id', async (req, reply) => {
    const { rows } = await pool.query({
      ...named('select_contact'),
      text: SELECT_CONTACT,
      values: [orgId, true, req.params.id],
    })
    if (!rows[0]) return reply.code(404).send({ error: 'not_found' })
    return rows[0]
  })
  app.post<{ Body: { name?: string; email?: string } }>('/api/v1/contacts', async (req, reply) => {
    const { rows } = await pool.query({
      ...named('insert_contact'),
      text: INSERT_CONTACT,
      values: [req.body.name ?? null, req.body.email ?? null, `c_${randomUUID()}`, orgId, true],
    })
    return reply.code(201).send(rows[0])
  })
  return { app, close: () => pool.end(), limiterErrors: () => 0 }
}

async function startRapport(databaseUrl: string, poolSize: number, redisUrl: string | undefined) {
  // Loaded here so that the bare server's process holds none of Rapport's modules.
  const [{ buildApp }, { loadConfig }, { openDatabase }, { createDeps }] = await Promise.all([
    import('../src/app.js'),
    import('../src/config.js'),
    import('../src/db/database.js'),
    import('../src/deps.js'),
  ])
  const database = await openDatabase({ url: databaseUrl }, { poolSize })
  // Anything Rapport writes into its data dir (e.g. a generated master key) stays out of the checkout.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rapport-bench-'))
  const env = {
    DATABASE_URL: databaseUrl,
    RAPPORT_DATA_DIR: dataDir,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    ...(process.env.RAPPORT_AUDIT_LOG ? { RAPPORT_AUDIT_LOG: process.env.RAPPORT_AUDIT_LOG } : {}),
  }
  const loaded = loadConfig(env)
  const unreachable = { perMinute: UNREACHABLE_RATE_LIMIT, perHour: UNREACHABLE_RATE_LIMIT }
  const config = { ...loaded, rateLimits: { ...loaded.rateLimits, teams: unreachable } }
  let limiterErrors = 0
  const deps = await createDeps(config, { database, onLimiterError: () => limiterErrors++ })
  const app = await buildApp(deps, { logger: false })
  const close = async () => {
    await deps.close()
    await database.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
  return { app, close, limiterErrors: () => limiterErrors }
}

async function main() {
  const kind = process.argv[2] as ServerKind
  const databaseUrl = requiredEnv('BENCH_SERVER_DATABASE_URL')
  const poolSize = Number(requiredEnv('BENCH_POOL_SIZE'))
  let server: { app: FastifyInstance; close(): Promise<void>; limiterErrors(): number }
  if (kind === 'bare') {
    server = await startBare(
      databaseUrl,
      poolSize,
      requiredEnv('BENCH_ORG_ID'),
      process.env.BENCH_BARE_PREPARED === '1',
    )
  } else if (kind === 'rapport') server = await startRapport(databaseUrl, poolSize, process.env.REDIS_URL || undefined)
  else throw new Error(`unknown server kind "${kind}"`)
  await server.app.listen({ host: '127.0.0.1', port: 0 })
  const address = server.app.server.address()
  if (!address || typeof address === 'string') throw new Error('the server has no TCP address')
  process.on('message', async (message: { type?: string }) => {
    if (message.type === 'cpu') {
      const { user, system } = process.cpuUsage()
      process.send?.({ type: 'cpu', cpuUs: user + system } satisfies ServerMessage)
    }
    if (message.type !== 'close') return
    await server.app.close()
    await server.close()
    process.send?.({ type: 'closed', limiterErrors: server.limiterErrors() } satisfies ServerMessage, () =>
      process.exit(0),
    )
  })
  // The benchmark process went away without closing us (it crashed or was stopped): do not linger.
  process.on('disconnect', () => process.exit(1))
  process.send?.({ type: 'listening', port: address.port } satisfies ServerMessage)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
