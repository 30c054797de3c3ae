import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** `./rapport`, the command as the README has a clone run it (it builds dist/ first when stale). */
function shim(...args: string[]) {
  return spawnSync('./rapport', args, { cwd: ROOT, encoding: 'utf8', timeout: 120_000 })
}

describe('./rapport in a clone', () => {
  test('runs the built command with its arguments: --help prints the usage', () => {
    const help = shim('--help')
    expect(help.status, help.stderr).toBe(0)
    expect(help.stdout).toMatch(/^Usage: rapport <command>/)
    expect(help.stdout).toContain('org create')
  })

  test('passes on the command’s exit code: a wrong command line is 2', () => {
    const wrong = shim('no-such-command')
    expect(wrong.status).toBe(2)
    expect(wrong.stderr).toContain('rapport:')
  })
})
