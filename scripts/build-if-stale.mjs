// `npm start`'s prestart: transpiles src/ into dist/ only when a source (or the compiler settings,
// or the installed dependencies) changed since the last build. Deciding costs a directory walk
// (~20 ms); transpiling with esbuild about a second, where `tsc` took 20 s on a quiet machine and
// over 2 minutes under load. Type checking is `npm run typecheck`'s job (and CI's), not a start's.
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/** Written after a successful build: its time is the build's. */
const STAMP = path.join(root, 'dist', '.build-stamp')
const INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json']
/** Held while a build writes dist/: a second process (a test's `npm start` beside `./rapport`) waits. */
const LOCK = path.join(root, 'dist', '.build-lock')
/** A lock older than this was left by a build that died. */
const LOCK_STALE_MS = 120_000

/** The newest modification time under `dir` (files only), in ms. */
function newestUnder(dir) {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestUnder(full))
    else newest = Math.max(newest, statSync(full).mtimeMs)
  }
  return newest
}

function isStale() {
  if (!existsSync(STAMP) || !existsSync(path.join(root, 'dist', 'src', 'main.js'))) return true
  const built = statSync(STAMP).mtimeMs
  const inputs = INPUTS.map((f) => path.join(root, f)).filter((f) => existsSync(f))
  const newest = Math.max(newestUnder(path.join(root, 'src')), ...inputs.map((f) => statSync(f).mtimeMs))
  return newest > built
}

/** Every .ts file under `dir` (not .d.ts). */
function sourcesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return sourcesUnder(full)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : []
  })
}

/** Takes the build lock, waiting while another process holds it; false if that one built meanwhile. */
async function lock() {
  mkdirSync(path.dirname(LOCK), { recursive: true })
  for (;;) {
    try {
      closeSync(openSync(LOCK, 'wx'))
      return true
    } catch (err) {
      if (err.code !== 'EEXIST') throw err
    }
    try {
      if (Date.now() - statSync(LOCK).mtimeMs > LOCK_STALE_MS) rmSync(LOCK, { force: true })
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100))
    if (!existsSync(LOCK) && !isStale()) return false
  }
}

/** Transpiles src/ into dist/ with esbuild when something changed since the last build; else does nothing. */
export async function buildIfStale() {
  if (!isStale() || !(await lock())) return
  try {
    if (isStale()) await build()
  } finally {
    rmSync(LOCK, { force: true })
  }
}

async function build() {
  const startedAt = Date.now()
  const { build } = await import('esbuild')
  // One output file per source, as tsc writes them (imports already name the .js files).
  await build({
    entryPoints: sourcesUnder(path.join(root, 'src')),
    outdir: path.join(root, 'dist', 'src'),
    outbase: path.join(root, 'src'),
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  })
  // Stamped with the time the build started: a source saved during the build makes the next start build again.
  writeFileSync(STAMP, `${new Date(startedAt).toISOString()}\n`)
  utimesSync(STAMP, startedAt / 1000, startedAt / 1000)
  process.stderr.write(`Built dist/ from src/ in ${Date.now() - startedAt} ms\n`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildIfStale()
