/**
 * Test fixture: one API process, the real app on a loopback port, for the multi-process rate-limit
 * test. Run as `node --import tsx test/ratelimit/api-process.ts <database-url>`; REDIS_URL and
 * RAPPORT_RATE_LIMITS come from the environment. Prints `{"port":N}` once listening; shuts down
 * cleanly on SIGTERM, or when its stdin closes (the test process died without stopping it).
 */
import type { AddressInfo } from 'node:net'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { createDeps } from '../../src/deps.js'

const databaseUrl = process.argv[2]
if (!databaseUrl) throw new Error('usage: api-process.ts <database-url>')

const deps = await createDeps(loadConfig({ ...process.env, DATABASE_URL: databaseUrl }))
const app = await buildApp(deps, { logger: false })
await app.listen({ host: '127.0.0.1', port: 0 })
process.stdout.write(`${JSON.stringify({ port: (app.server.address() as AddressInfo).port })}\n`)

let stopping = false
async function stop() {
  if (stopping) return
  stopping = true
  await app.close()
  await deps.close()
  process.exit(0)
}
process.once('SIGTERM', stop)
process.stdin.on('end', stop).resume()
