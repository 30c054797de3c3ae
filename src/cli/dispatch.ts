import { setTimeout as sleep } from 'node:timers/promises'
import { type Config, databaseTargetOf } from '../config.js'
import { acquireDataDirLock, DataDirLockedError, type LockHolder } from '../db/data-dir-lock.js'
import type { DatabaseTarget } from '../db/database.js'
import { CONTROL_PATH, type ControlInfo, readControlFile } from './control-file.js'
import type { OperationRequest } from './operations.js'
import { CliError } from './output.js'

/** How long a command waits for a data dir held by another CLI command or a server still starting. */
const BUSY_WAIT_MS = 20_000

/**
 * Runs an operation where it can safely run. PostgreSQL: directly. Embedded PGlite (one process
 * only): directly under the data dir's lock when no server holds it, otherwise by the server
 * that does, through its control endpoint.
 */
export async function dispatchOperation(request: OperationRequest, config: Config): Promise<unknown> {
  if (config.databaseUrl) return runDirectly(request, databaseTargetOf(config), config)
  const deadline = Date.now() + BUSY_WAIT_MS
  for (;;) {
    let holder: LockHolder
    try {
      const lock = await acquireDataDirLock(config.dataDir, 'cli')
      try {
        return await runDirectly(request, { dataDir: config.dataDir }, config)
      } finally {
        lock.release()
      }
    } catch (err) {
      if (!(err instanceof DataDirLockedError)) throw err
      holder = err.holder
    }
    if (holder.role === 'worker') {
      throw new CliError(
        'data_dir_locked',
        `${config.dataDir} is held by a worker process (pid ${holder.pid}), which takes no commands: stop it, or run "rapport start" instead`,
      )
    }
    const control = readControlFile(config.dataDir)
    if (holder.role !== 'cli' && control?.pid === holder.pid) return forward(control, request)
    if (Date.now() > deadline) {
      throw new CliError(
        'data_dir_locked',
        `${config.dataDir} is held by process ${holder.pid} (rapport ${holder.role}), which did not become reachable`,
      )
    }
    await sleep(100)
  }
}

async function runDirectly(request: OperationRequest, target: DatabaseTarget, config: Config) {
  // Imported here: a command forwarded to a server loads neither the database engines nor the schemas
  // (the server checks the arguments with this same module).
  const { checkOperation, runOperation } = await import('./operations.js')
  const { migrate } = await import('../db/migrator.js')
  const { openDatabase } = await import('../db/database.js')
  const { SignInLinks } = await import('../modules/accounts/sign-in-links.service.js')
  const { PublicUrl } = await import('../lib/public-url.js')
  const { systemClock } = await import('../lib/clock.js')
  checkOperation(request)
  const database = await openDatabase(target, { poolSize: 1 })
  try {
    // Like a server at start: a fresh data dir or database is usable by the very first command.
    if (request.command !== 'migrate') await migrate(database.db)
    // No server runs: links point where one listens with this configuration (or RAPPORT_PUBLIC_URL).
    const publicUrl = new PublicUrl(config.publicUrl, { host: config.host, port: config.port })
    const links = new SignInLinks(database.db, systemClock, publicUrl, config.accounts.inviteTtlHours)
    return await runOperation({ db: database.db, links }, request)
  } finally {
    await database.close()
  }
}

async function forward(control: ControlInfo, request: OperationRequest): Promise<unknown> {
  let res: Response
  try {
    res = await fetch(new URL(CONTROL_PATH, control.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${control.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(60_000),
    })
  } catch (err) {
    throw new CliError(
      'server_unreachable',
      `The server holding the data dir (pid ${control.pid}) did not answer at ${control.url}: ${(err as Error).message}`,
    )
  }
  const body = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined
  if (res.ok) return body
  throw new CliError(
    body?.error?.code ?? 'server_error',
    body?.error?.message ?? `The server answered ${res.status} ${res.statusText}`,
  )
}
