import { readFile } from 'node:fs/promises'
import { describe, expect, test } from 'vitest'
import { ERROR_STATUS } from '../src/core/errors.js'

const ERRORS_DOC = new URL('../docs/errors.md', import.meta.url)

/** The rows of the codes table: `| \`code\` | status | when | what to do |`. */
async function documentedCodes(): Promise<{ code: string; status: number; cells: string[] }[]> {
  const text = await readFile(ERRORS_DOC, 'utf8')
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^\|\s*`[a-z_]+`\s*\|\s*\d{3}\s*\|/.test(line))
    .map((line) => {
      const cells = line
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((c) => c.trim())
      return { code: cells[0]!.replace(/`/g, ''), status: Number(cells[1]), cells }
    })
}

describe('docs/errors.md', () => {
  test('documents exactly the codes of ERROR_STATUS, with their statuses', async () => {
    const rows = await documentedCodes()
    const documented = Object.fromEntries(rows.map((r) => [r.code, r.status]))
    expect(rows.length, 'a code is documented twice').toBe(Object.keys(documented).length)
    expect(documented, 'docs/errors.md and ERROR_STATUS in src/core/errors.ts disagree').toEqual(ERROR_STATUS)
  })

  test('says, for every code, when it happens and what the client should do', async () => {
    for (const { code, cells } of await documentedCodes()) {
      expect(cells, code).toHaveLength(4)
      expect(cells[2], `${code}: when it happens`).toMatch(/\w/)
      expect(cells[3], `${code}: what the client should do`).toMatch(/\w/)
    }
  })
})
