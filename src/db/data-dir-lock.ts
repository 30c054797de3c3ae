import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Embedded PGlite is one process's database: two processes opening one data dir corrupt it. The
 * process that opens it first holds this lock file (created with O_EXCL, so exactly one creator
 * wins) until it closes the database.
 */
export const LOCK_FILE = 'rapport.lock'

/** Who holds a data dir: written into the lock file. */
export interface LockHolder {
  pid: number
  /** What the holder runs: `start`, `api`, `worker` or `cli`. */
  role: string
  since: string
}

export interface DataDirLock {
  readonly file: string
  /** Removes the lock file, unless another process has taken it over meanwhile. Idempotent. */
  release(): void
}

export class DataDirLockedError extends Error {
  constructor(
    readonly file: string,
    readonly holder: LockHolder,
  ) {
    super(`${path.dirname(file)} is in use by process ${holder.pid} (rapport ${holder.role})`)
  }
}

/** Lock files this process holds: a file naming our own pid is stale unless listed here (pid reuse in containers). */
const heldHere = new Set<string>()

/** A lock file younger than this with no readable holder is being written, not abandoned. */
const UNWRITTEN_GRACE_MS = 2_000
/** A takeover marker older than this was left by a process that died while taking over. */
const TAKEOVER_GRACE_MS = 5_000

/**
 * Takes the data dir's lock, creating the dir (mode 0700) if needed. A lock left by a dead process
 * is taken over; a live holder makes this throw DataDirLockedError.
 */
export async function acquireDataDirLock(dataDir: string, role: string): Promise<DataDirLock> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const file = path.join(path.resolve(dataDir), LOCK_FILE)
  const mine: LockHolder = { pid: process.pid, role, since: new Date().toISOString() }
  for (let attempt = 0; attempt < 50; attempt++) {
    if (tryCreate(file, mine)) return holdLock(file)
    const raw = readRaw(file)
    if (raw === undefined) continue
    const holder = parseHolder(raw)
    if (holder && !isStale(file, holder)) throw new DataDirLockedError(file, holder)
    if (!holder && ageMs(file) < UNWRITTEN_GRACE_MS) {
      await sleep(50)
      continue
    }
    if (!takeOver(file, raw)) await sleep(50)
  }
  const holder = parseHolder(readRaw(file) ?? '') ?? { pid: 0, role: 'unknown', since: '' }
  throw new DataDirLockedError(file, holder)
}

/** The current holder of the data dir's lock, if any (alive or not). */
export function readLockHolder(dataDir: string): LockHolder | undefined {
  return parseHolder(readRaw(path.join(path.resolve(dataDir), LOCK_FILE)) ?? '')
}

/** True when `pid` names a running process (one of another user counts: we may not signal it). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function tryCreate(file: string, holder: LockHolder): boolean {
  let fd: number
  try {
    fd = openSync(file, 'wx', 0o600)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  }
  try {
    writeSync(fd, `${JSON.stringify(holder)}\n`)
  } finally {
    closeSync(fd)
  }
  return true
}

function holdLock(file: string): DataDirLock {
  heldHere.add(file)
  const release = () => {
    if (!heldHere.delete(file)) return
    process.removeListener('exit', release)
    if (parseHolder(readRaw(file) ?? '')?.pid === process.pid) removeIfPresent(file)
  }
  // A crash still leaves the file behind; the next starter takes it over as stale.
  process.on('exit', release)
  return { file, release }
}

function isStale(file: string, holder: LockHolder): boolean {
  if (holder.pid === process.pid) return !heldHere.has(file)
  return !isProcessAlive(holder.pid)
}

/**
 * Removes a stale lock file, but only if it still holds `staleRaw`. The `.takeover` marker (also
 * O_EXCL) lets one process at a time check-and-remove, so two starters that both saw the stale
 * file cannot remove each other's fresh lock.
 */
function takeOver(file: string, staleRaw: string): boolean {
  const marker = `${file}.takeover`
  let fd: number
  try {
    fd = openSync(marker, 'wx', 0o600)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    if (ageMs(marker) > TAKEOVER_GRACE_MS) removeIfPresent(marker)
    return false
  }
  try {
    if (readRaw(file) === staleRaw) removeIfPresent(file)
  } finally {
    closeSync(fd)
    removeIfPresent(marker)
  }
  return true
}

function readRaw(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

function parseHolder(raw: string): LockHolder | undefined {
  try {
    const value = JSON.parse(raw) as Partial<LockHolder>
    if (Number.isInteger(value.pid) && typeof value.role === 'string') return value as LockHolder
  } catch {}
  return undefined
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs
  } catch {
    return 0
  }
}

function removeIfPresent(file: string) {
  try {
    unlinkSync(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
}
