import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { tempDir } from './rapport-process.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * `npm start`'s prestart on a project of one source file, laid out as Rapport's (scripts/, src/,
 * dist/, the lock file, node_modules for esbuild), so the real dist/ is never touched.
 */
function miniProject() {
  const root = tempDir('rapport-build-if-stale-')
  mkdirSync(path.join(root, 'scripts'))
  mkdirSync(path.join(root, 'src'))
  copyFileSync(path.join(ROOT, 'scripts/build-if-stale.mjs'), path.join(root, 'scripts/build-if-stale.mjs'))
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'))
  writeFileSync(path.join(root, 'package-lock.json'), '{}\n')
  const source = path.join(root, 'src/main.ts')
  writeFileSync(source, 'const greeting: string = "hello"\nconsole.log(greeting)\n')
  const run = () => {
    const child = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: root, encoding: 'utf8' })
    expect(child.status, child.stderr).toBe(0)
    return child.stderr
  }
  return { root, source, run }
}

describe('npm start’s prestart (scripts/build-if-stale.mjs)', () => {
  test('builds when there is no build, then not again until a source is newer than the build', () => {
    const project = miniProject()
    expect(project.run()).toMatch(/^Built dist\/ from src\/ in \d+ ms/)
    expect(existsSync(path.join(project.root, 'dist/src/main.js'))).toBe(true)
    expect(project.run()).toBe('')

    // A source saved after the build: the build's stamp moved a minute back, the source half a
    // minute back (no waiting on the clock).
    const minuteAgo = new Date(Date.now() - 60_000)
    const halfMinuteAgo = new Date(Date.now() - 30_000)
    utimesSync(path.join(project.root, 'dist/.build-stamp'), minuteAgo, minuteAgo)
    utimesSync(project.source, halfMinuteAgo, halfMinuteAgo)
    expect(project.run()).toMatch(/^Built dist\/ from src\/ in \d+ ms/)
    expect(project.run()).toBe('')
    const built = spawnSync(process.execPath, ['dist/src/main.js'], { cwd: project.root, encoding: 'utf8' })
    expect(built.stdout).toBe('hello\n')
  })
})
