import { writeFile } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { type DatabaseHandle, openDatabase } from '../src/db/database.js'
import { migrate } from '../src/db/migrator.js'
import { createDeps } from '../src/deps.js'

export const OPENAPI_PATH = fileURLToPath(new URL('../docs/openapi.json', import.meta.url))
export const GENERATED_NOTE = 'Generated from the route schemas by npm run openapi; do not edit by hand.'

/**
 * The OpenAPI document as `docs/openapi.json` holds it. The configuration comes from nothing but an
 * operator token (so the provisioning routes are included), never from the environment: the file
 * must not depend on who generated it. Builds on `database` when given (left open), otherwise on a
 * fresh in-memory PGlite.
 */
export async function generateOpenApi(database?: DatabaseHandle): Promise<string> {
  const handle = database ?? (await openDatabase({ memory: true }))
  try {
    if (!database) await migrate(handle.db)
    const deps = await createDeps(loadConfig({ RAPPORT_ADMIN_TOKEN: 'openapi-generation' }), { database: handle })
    const app = await buildApp(deps, { logger: false })
    try {
      await app.ready()
      const document = app.swagger() as Record<string, unknown>
      return `${JSON.stringify({ 'x-generated': GENERATED_NOTE, ...document }, null, 2)}\n`
    } finally {
      await app.close()
      await deps.close()
    }
  } finally {
    if (!database) await handle.close()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writeFile(OPENAPI_PATH, await generateOpenApi())
  console.log('wrote docs/openapi.json')
}
