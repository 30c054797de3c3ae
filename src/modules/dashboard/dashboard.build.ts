import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'vite'
import { onceRetrying } from '../../lib/once.js'
import { type Asset, assetOf } from '../booking-page/assets.js'

/** One built file of the dashboard, held in memory. */
export type DashboardFile = Asset<Buffer>

export interface DashboardBuild {
  /** index.html: every client route answers it. */
  index: DashboardFile
  /** Hashed files under /app/assets/, by name (`index-AbC123.js`). */
  assets: Map<string, DashboardFile>
  /** Sum of the gzipped sizes of the JavaScript and CSS, in bytes. */
  gzippedBytes: number
}

/**
 * The sources live in web/ at the project root, found by walking up from this file: it runs from
 * src/ under tsx and vitest, and from dist/src/ after `tsc`.
 */
export function webSourceDir(from = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'web')
    if (existsSync(path.join(candidate, 'vite.config.ts'))) return candidate
    if (path.dirname(dir) === dir) throw new Error(`web/ not found above ${from}`)
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
}

function fileOf(name: string, body: Buffer): DashboardFile {
  return assetOf(body, TYPES[path.extname(name)] ?? 'application/octet-stream')
}

/** Runs Vite's production build of web/ without writing anything to disk. */
async function buildDashboard(): Promise<DashboardBuild> {
  const root = webSourceDir()
  const result = await build({
    configFile: path.join(root, 'vite.config.ts'),
    // Loads the TypeScript config through Vite's module runner: no temporary file next to it.
    configLoader: 'runner',
    mode: 'production',
    logLevel: 'error',
    build: { write: false },
    // A production bundle whatever NODE_ENV says (vitest sets "test", which Vite reads as development:
    // JSX debug calls carrying source file paths).
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    oxc: { jsx: { development: false } },
  })
  const outputs = Array.isArray(result) ? result : [result]
  let index: DashboardFile | undefined
  const assets = new Map<string, DashboardFile>()
  let gzippedBytes = 0
  for (const output of outputs) {
    if (!('output' in output)) throw new Error('the dashboard build returned a watcher')
    for (const item of output.output) {
      const body = Buffer.from(item.type === 'chunk' ? item.code : item.source)
      const file = fileOf(item.fileName, body)
      if (item.fileName === 'index.html') {
        index = file
        continue
      }
      if (!item.fileName.startsWith('assets/')) throw new Error(`unexpected dashboard file ${item.fileName}`)
      assets.set(item.fileName.slice('assets/'.length), file)
      if (/\.(js|css)$/.test(item.fileName)) gzippedBytes += gzipSync(body, { level: 9 }).length
    }
  }
  if (!index) throw new Error('the dashboard build produced no index.html')
  return { index, assets, gzippedBytes }
}

/**
 * The dashboard, built once per process in memory (about a second): `npm start` serves /app with no
 * build step. A failed build is retried on the next call.
 */
export const dashboardBuild: () => Promise<DashboardBuild> = onceRetrying(buildDashboard)
