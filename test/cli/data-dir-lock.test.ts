import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { describeDatabase } from '../../src/cli/describe-database.js'
import { acquireDataDirLock, DataDirLockedError, LOCK_FILE, readLockHolder } from '../../src/db/data-dir-lock.js'
import { tempDir } from './rapport-process.js'

const LOCK_MODULE = fileURLToPath(new URL('../../src/db/data-dir-lock.ts', import.meta.url))

function writeHolder(dir: string, pid: number, role = 'start') {
  writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid, role, since: new Date().toISOString() }))
}

/** A pid that no process has any more. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!
}

describe('data dir lock', () => {
  const root = tempDir('rapport-lock-')
  let n = 0
  const freshDir = () => path.join(root, `dir${++n}`)

  test('one holder at a time: the next one learns its pid and role, and may take it once released', async () => {
    const dir = freshDir()
    const lock = await acquireDataDirLock(dir, 'start')
    const refused = await acquireDataDirLock(dir, 'cli').catch((err: unknown) => err)
    expect(refused).toBeInstanceOf(DataDirLockedError)
    expect((refused as DataDirLockedError).holder).toMatchObject({ pid: process.pid, role: 'start' })
    lock.release()
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false)
    const again = await acquireDataDirLock(dir, 'cli')
    expect(readLockHolder(dir)).toMatchObject({ pid: process.pid, role: 'cli' })
    again.release()
  })

  test('a lock of a process that still runs is respected', async () => {
    const dir = freshDir()
    await acquireDataDirLock(dir, 'cli').then((l) => l.release())
    writeHolder(dir, process.ppid)
    await expect(acquireDataDirLock(dir, 'cli')).rejects.toBeInstanceOf(DataDirLockedError)
  })

  test('a lock left by a dead process is taken over', async () => {
    const dir = freshDir()
    await acquireDataDirLock(dir, 'cli').then((l) => l.release())
    writeHolder(dir, deadPid())
    const lock = await acquireDataDirLock(dir, 'api')
    expect(readLockHolder(dir)).toMatchObject({ pid: process.pid, role: 'api' })
    lock.release()
  })

  test('a lock naming this very pid, not taken by this process, is stale (a restarted container reuses pids)', async () => {
    const dir = freshDir()
    await acquireDataDirLock(dir, 'cli').then((l) => l.release())
    writeHolder(dir, process.pid)
    const lock = await acquireDataDirLock(dir, 'start')
    lock.release()
  })

  test('release leaves alone a lock that another process has taken over meanwhile', async () => {
    const dir = freshDir()
    const lock = await acquireDataDirLock(dir, 'start')
    writeHolder(dir, process.ppid)
    lock.release()
    expect(readLockHolder(dir)?.pid).toBe(process.ppid)
  })

  // A refused start names the holder: its content is what a person reads, so one JSON line.
  test('the lock file holds the pid and role as one JSON line', async () => {
    const dir = freshDir()
    const lock = await acquireDataDirLock(dir, 'start')
    const raw = readFileSync(path.join(dir, LOCK_FILE), 'utf8')
    expect(raw.trimEnd().split('\n')).toHaveLength(1)
    expect(JSON.parse(raw)).toMatchObject({ pid: process.pid, role: 'start' })
    lock.release()
  })

  test('processes racing to take over one stale lock end with exactly one holder', async () => {
    const dir = freshDir()
    await acquireDataDirLock(dir, 'cli').then((l) => l.release())
    writeHolder(dir, deadPid())
    const go = path.join(dir, 'go')
    // Each racer loads the module, says ready, waits for the go file, tries, and holds a winning lock 3 s.
    const script = `
      const { existsSync } = await import('node:fs')
      const { acquireDataDirLock } = await import(${JSON.stringify(LOCK_MODULE)})
      console.log('ready')
      while (!existsSync(${JSON.stringify(go)})) await new Promise((r) => setTimeout(r, 5))
      try {
        const lock = await acquireDataDirLock(${JSON.stringify(dir)}, 'cli')
        console.log('won')
        await new Promise((r) => setTimeout(r, 3000))
        lock.release()
      } catch (err) {
        console.log(err.constructor.name === 'DataDirLockedError' ? 'lost' : String(err))
      }
    `
    const racers = Array.from({ length: 3 }, () => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script])
      let out = ''
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        out += c
      })
      const done = new Promise<string>((resolve) => child.on('close', () => resolve(out)))
      return { child, output: () => out, done }
    })
    try {
      while (!racers.every((r) => r.output().includes('ready'))) {
        if (racers.some((r) => r.child.exitCode !== null)) throw new Error('a racer died before the race')
        await new Promise((r) => setTimeout(r, 20))
      }
      writeFileSync(go, '')
      const outcomes = (await Promise.all(racers.map((r) => r.done))).map((o) => o.trim().split('\n').at(-1))
      expect(outcomes.filter((o) => o === 'won')).toHaveLength(1)
      expect(outcomes.filter((o) => o === 'lost')).toHaveLength(2)
      expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false)
    } finally {
      for (const r of racers) r.child.kill('SIGKILL')
    }
  }, 60_000)
})

describe('startup log database description', () => {
  test('names the PostgreSQL host and database but never the credentials', () => {
    const text = describeDatabase({ databaseUrl: 'postgres://rapport:s3cret@db.internal:6432/crm', dataDir: '/x' })
    expect(text).toBe('postgres at db.internal:6432/crm')
    expect(describeDatabase({ databaseUrl: undefined, dataDir: '/srv/rapport' })).toBe('pglite in /srv/rapport')
  })
})
