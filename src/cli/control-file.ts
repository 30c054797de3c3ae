import { chmodSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/**
 * How a CLI reaches the server that holds an embedded data dir. Mode 0600: only the OS user who
 * runs the server can read the token, which is what lets that user (and nobody else on the
 * machine) run operator commands through the server.
 */
export const CONTROL_FILE = 'control.json'

/** The server's endpoint for CLI commands (see control-routes.ts). */
export const CONTROL_PATH = '/_control/v1/commands'

export interface ControlInfo {
  pid: number
  /** A URL of the server that this machine can reach (loopback when it listens on every interface). */
  url: string
  token: string
}

export function controlFilePath(dataDir: string): string {
  return path.join(path.resolve(dataDir), CONTROL_FILE)
}

/** Written whole under a temporary name, then renamed: a reader never sees half a file. */
export function writeControlFile(dataDir: string, info: ControlInfo): void {
  const file = controlFilePath(dataDir)
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, `${JSON.stringify(info)}\n`, { mode: 0o600, flag: 'w' })
  // The mode given to writeFileSync applies only when the file is created; be sure of it anyway.
  chmodSync(temporary, 0o600)
  renameSync(temporary, file)
}

export function readControlFile(dataDir: string): ControlInfo | undefined {
  let raw: string
  try {
    raw = readFileSync(controlFilePath(dataDir), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  try {
    const info = JSON.parse(raw) as Partial<ControlInfo>
    if (Number.isInteger(info.pid) && typeof info.url === 'string' && typeof info.token === 'string') {
      return info as ControlInfo
    }
  } catch {}
  return undefined
}

/** Removes the file if this process wrote it (a newer server may already have replaced it). */
export function removeControlFile(dataDir: string): void {
  if (readControlFile(dataDir)?.pid !== process.pid) return
  try {
    unlinkSync(controlFilePath(dataDir))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
}
