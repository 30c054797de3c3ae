/**
 * Starts and stops the benchmark servers, each in a child process of its own (see `server.ts`).
 *
 * Why child processes: the load generator (autocannon) needs an event loop of its own; sharing one
 * with the server under test would measure both together. With two cores, the generator, the server
 * and PostgreSQL still compete for CPU, but in the same way for the baseline and for Rapport.
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { nextMessage } from './child-messages.js'
import type { ServerKind, ServerMessage } from './server.js'

const SERVER_ENTRY = fileURLToPath(new URL('./server.ts', import.meta.url))
const START_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 10_000

export interface RunningServer {
  name: string
  url: string
  pid: number
  /** CPU time (user + system) the server's process has used since it started, in microseconds. */
  cpuUs(): Promise<number>
  /** Closes the server; resolves with the number of rate-limit store errors it saw. */
  stop(): Promise<{ limiterErrors: number }>
}

export interface ServerOptions {
  name: string
  kind: ServerKind
  databaseUrl: string
  poolSize: number
  orgId: string
  redisUrl?: string
  /** Extra Node flags for this server only (e.g. `--cpu-prof`). */
  nodeFlags?: string[]
  /** Extra environment for this server only (e.g. `RAPPORT_AUDIT_LOG=off`). */
  env?: Record<string, string>
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BENCH_SERVER_DATABASE_URL: options.databaseUrl,
    BENCH_POOL_SIZE: String(options.poolSize),
    BENCH_ORG_ID: options.orgId,
    NODE_ENV: 'production',
  }
  delete env.REDIS_URL
  delete env.DATABASE_URL
  delete env.RAPPORT_AUDIT_LOG
  if (options.redisUrl) env.REDIS_URL = options.redisUrl
  Object.assign(env, options.env)
  const child = fork(SERVER_ENTRY, [options.kind], {
    env,
    // Inherit the tsx loader that runs this script, plus any flags for this server.
    execArgv: [...process.execArgv, ...(options.nodeFlags ?? [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  let listening: ServerMessage
  try {
    listening = await nextMessage<ServerMessage>(child, 'listening', START_TIMEOUT_MS)
  } catch (err) {
    child.kill()
    throw new Error(`${options.name}: ${(err as Error).message}`)
  }
  const port = listening.type === 'listening' ? listening.port : 0
  return {
    name: options.name,
    url: `http://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    async cpuUs() {
      const answer = nextMessage<ServerMessage>(child, 'cpu', STOP_TIMEOUT_MS)
      child.send({ type: 'cpu' })
      const message = await answer
      return message.type === 'cpu' ? message.cpuUs : 0
    },
    async stop() {
      if (child.exitCode !== null) throw new Error(`${options.name} had already exited (code ${child.exitCode})`)
      const closed = nextMessage<ServerMessage>(child, 'closed', STOP_TIMEOUT_MS)
      child.send({ type: 'close' })
      try {
        const message = await closed
        return { limiterErrors: message.type === 'closed' ? message.limiterErrors : 0 }
      } catch (err) {
        child.kill()
        throw new Error(`${options.name}: ${(err as Error).message}`)
      }
    },
  }
}
