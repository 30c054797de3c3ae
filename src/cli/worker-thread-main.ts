// The entry of the worker thread that `rapport start` runs on PostgreSQL (see worker-thread.ts).
import { parentPort, workerData } from 'node:worker_threads'
import Fastify from 'fastify'
import { createDeps } from '../deps.js'
import { logSettings } from './logging.js'
import { startWorker } from './worker-role.js'
import type { WorkerThreadData } from './worker-thread.js'

const { config, isTerminal } = workerData as WorkerThreadData
const port = parentPort!
const deps = await createDeps(config)
const log = Fastify({ logger: await logSettings(config, isTerminal) }).log
const worker = await startWorker(deps, log)
port.on('message', async (message) => {
  if (message !== 'stop') return
  try {
    await worker.stop()
    await deps.close()
  } catch (err) {
    log.error({ err }, 'worker thread: shutdown step failed')
    process.exitCode = 1
  }
  // Every worker has stopped and every connection is closed: end the thread even if a stray timer
  // of a library would keep its loop alive (in a thread, process.exit ends the thread only).
  process.exit()
})
log.info({ thread: 'worker' }, 'worker running on a thread of its own')
port.postMessage('ready')
