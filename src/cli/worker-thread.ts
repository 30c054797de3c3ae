import { Worker } from 'node:worker_threads'
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../config.js'
import type { RunningWorker } from './worker-role.js'

/** What the thread is started with: plain data (structured-cloned), never live objects. */
export interface WorkerThreadData {
  /** The whole configuration: the thread opens its own pool of `dbPoolSize` connections from it (`createDeps`). */
  config: Config
  /** Whether the process's stdout is a terminal (a thread's own stdout never is). */
  isTerminal: boolean
}

/**
 * Starts the thread's entry beside this file: built, the `.js` file; run from sources (`npm run
 * dev`, tests), the `.ts` file through tsx's loader, which a thread does not inherit.
 */
function spawn(workerData: WorkerThreadData): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./worker-thread-main.js', import.meta.url), { workerData })
  }
  const entry = new URL('./worker-thread-main.ts', import.meta.url).href
  const loader = import.meta.resolve('tsx/esm/api')
  const bootstrap = `import(${JSON.stringify(loader)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}) })`
  return new Worker(bootstrap, { eval: true, workerData })
}

/**
 * Runs the worker role (webhook delivery, email, imports) on a thread of its own, with its own
 * event loop and database connections. In one event loop and one pool, a saturated API starved it:
 * every claim and every delivery waited behind the queued requests for a pool connection and a
 * turn of the loop (1,000 creates/s offered: delivery p99 14 s; on its own thread, see
 * docs/benchmarks.md). If the thread dies, the process shuts down (exit 1) rather than keep
 * accepting work nobody delivers.
 */
export async function startWorkerThread(config: Config, log: FastifyBaseLogger): Promise<RunningWorker> {
  const data: WorkerThreadData = { config, isTerminal: Boolean(process.stdout.isTTY) }
  const thread = spawn(data)
  let stopping = false
  await new Promise<void>((resolve, reject) => {
    thread.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(`worker thread said ${m}`))))
    thread.once('error', reject)
    thread.once('exit', (code) => reject(new Error(`worker thread exited with code ${code} while starting`)))
  })
  thread.removeAllListeners()
  thread.on('error', (err) => log.error({ err }, 'worker thread failed'))
  thread.on('exit', (code) => {
    if (stopping) return
    log.error({ code }, 'worker thread stopped unexpectedly: shutting down')
    process.exitCode = 1
    process.kill(process.pid, 'SIGTERM')
  })
  return {
    stop: async () => {
      stopping = true
      const exited = new Promise((resolve) => thread.once('exit', resolve))
      thread.postMessage('stop')
      await exited
    },
  }
}
