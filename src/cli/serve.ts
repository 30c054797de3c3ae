import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import closeWithGrace from 'close-with-grace'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { buildApp } from '../app.js'
import { type Config, databaseTargetOf } from '../config.js'
import { acquireDataDirLock, type DataDirLock, DataDirLockedError } from '../db/data-dir-lock.js'
import { openDatabase } from '../db/database.js'
import { migrate } from '../db/migrator.js'
import { createDeps, type Deps } from '../deps.js'
import { randomBase62 } from '../lib/crypto.js'
import { reachableHost } from '../lib/public-url.js'
import { SignInLinks } from '../modules/accounts/sign-in-links.service.js'
import { startupBanner } from './banner.js'
import { removeControlFile, writeControlFile } from './control-file.js'
import { controlRoutes } from './control-routes.js'
import { logSettings } from './logging.js'
import { CliError } from './output.js'
import type { ServerRole } from './parse-command.js'
import { startWorker } from './worker-role.js'
import { startWorkerThread } from './worker-thread.js'

/** Past this, a shutdown that has not finished draining gives up and exits 1. */
const GRACE_MS = 10_000

type Closer = () => unknown

/**
 * Runs a server role until SIGTERM/SIGINT: then it stops accepting connections, finishes the
 * requests in flight, closes the database and exits 0. Throws CliError when it cannot start.
 */
export async function serve(role: ServerRole, config: Config): Promise<void> {
  const closers: Closer[] = []
  try {
    if (!config.databaseUrl) {
      const lock = await lockDataDir(config.dataDir, role)
      closers.push(() => lock.release())
    }
    const database = await openDatabase(databaseTargetOf(config))
    closers.push(() => database.close())
    const applied = await migrate(database.db)
    const deps = await createDeps(config, { database })
    closers.push(() => deps.close())
    const logger = await logSettings(config)
    const app = role === 'worker' ? undefined : await buildApp(deps, { logger })
    // A worker has no Fastify app to log through; this gives it the same pino settings.
    const log = app?.log ?? Fastify({ logger }).log
    if (applied.length > 0) {
      log.info(
        { migrations: applied.map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`) },
        'applied database migrations',
      )
    }
    if (role !== 'api') {
      // `start` on PostgreSQL: the worker on a thread of its own, so a busy API cannot starve it.
      const ownThread = role === 'start' && config.workerThread && deps.dbEngine === 'postgres'
      const worker = ownThread ? await startWorkerThread(config, log) : await startWorker(deps, log)
      closers.push(() => worker.stop())
    }
    let url: string | undefined
    if (app) {
      url = await listen(app, config, deps, closers)
    }
    const banner = startupBanner(role, config, url, url ? deps.publicUrl.base : undefined)
    log.info(banner.facts, banner.message)
    if (config.webhooks.allowPrivate) {
      log.warn('RAPPORT_WEBHOOK_ALLOW_PRIVATE is on: webhook URLs may use http and private or loopback addresses')
    }
    closeWithGrace(
      { delay: GRACE_MS, logger: { error: (msg: unknown) => log.error(msg) } },
      async ({ signal, err }) => {
        if (err) log.error({ err }, 'stopping after an unexpected error')
        else log.info({ signal }, 'stopping: finishing the work in flight')
        await closeAll(closers, log)
        log.info('stopped')
      },
    )
  } catch (err) {
    await closeAll(closers)
    throw err
  }
}

/** Listens; on the embedded database, also opens the control endpoint and tells the CLI about it. */
async function listen(app: FastifyInstance, config: Config, deps: Deps, closers: Closer[]): Promise<string> {
  const token = config.databaseUrl ? undefined : randomBase62(256)
  const links = new SignInLinks(deps.db, deps.clock, deps.publicUrl, config.accounts.inviteTtlHours)
  if (token) await app.register(controlRoutes({ db: deps.db, links }, token))
  closers.push(() => app.close())
  await app.listen({ host: config.host, port: config.port })
  const address = app.server.address() as AddressInfo
  const url = `http://${hostOf(address.address)}:${address.port}`
  if (token) {
    writeControlFile(config.dataDir, {
      pid: process.pid,
      url: `http://${reachableHost(address.address)}:${address.port}`,
      token,
    })
    closers.push(() => removeControlFile(config.dataDir))
  }
  return url
}

/** Runs the closers newest first; one that fails does not stop the others, but makes the exit code 1. */
async function closeAll(closers: Closer[], log?: FastifyBaseLogger): Promise<void> {
  let failure: unknown
  for (const close of closers.splice(0).reverse()) {
    try {
      await close()
    } catch (err) {
      log?.error({ err }, 'shutdown step failed')
      failure ??= err
    }
  }
  if (failure) throw failure
}

/** A CLI command may hold the data dir for a moment: wait for it. Another server: refuse at once. */
async function lockDataDir(dataDir: string, role: ServerRole): Promise<DataDirLock> {
  const deadline = Date.now() + 20_000
  for (;;) {
    try {
      return await acquireDataDirLock(dataDir, role)
    } catch (err) {
      if (!(err instanceof DataDirLockedError)) throw err
      if (err.holder.role !== 'cli' || Date.now() > deadline) {
        throw new CliError(
          'data_dir_locked',
          `Cannot start: the data dir ${dataDir} is in use by another Rapport process (pid ${err.holder.pid}, rapport ${err.holder.role}). The embedded database admits one process: stop that one, set RAPPORT_DATA_DIR to another dir, or set DATABASE_URL to share a PostgreSQL database between processes. (Lock file: ${err.file})`,
        )
      }
      await sleep(100)
    }
  }
}

function hostOf(address: string): string {
  return address.includes(':') ? `[${address}]` : address
}
