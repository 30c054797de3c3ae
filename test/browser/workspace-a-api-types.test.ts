import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'

/* The dashboard's API types are generated from docs/openapi.json (`npm run web:types`), never edited. */

const root = fileURLToPath(new URL('../../', import.meta.url))

test('web/src/api-types.ts is what openapi-typescript generates from docs/openapi.json', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rapport-web-types-'))
  try {
    const out = path.join(dir, 'api-types.ts')
    execFileSync(
      process.execPath,
      [path.join(root, 'node_modules/openapi-typescript/bin/cli.js'), 'docs/openapi.json', '--output', out],
      { cwd: root, stdio: 'pipe' },
    )
    const committed = readFileSync(path.join(root, 'web/src/api-types.ts'), 'utf8')
    expect(committed === readFileSync(out, 'utf8'), 'run `npm run web:types` and commit web/src/api-types.ts').toBe(
      true,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}, 60_000)
