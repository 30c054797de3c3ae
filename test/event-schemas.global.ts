import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { eventCatalog } from '../src/event-catalog.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where each integration test file records the event types it emitted (event-schemas.setup.ts). */
    eventCoverageDir: string
  }
}

/**
 * Every catalog event must be emitted by some test. Each integration file records the types it
 * stored; after the run, when every file of the project ran (a full run, not a subset), a catalog
 * event that no file emitted fails the run.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), 'rapport-event-coverage-'))
  project.provide('eventCoverageDir', dir)
  return async () => {
    try {
      const records = readdirSync(dir).map(
        (name) => JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as { file: string; types: string[] },
      )
      const ran = new Set(records.map((r) => path.resolve(r.file)))
      const { testFiles } = await project.globTestFiles()
      if (!testFiles.every((file) => ran.has(path.resolve(file)))) return // a subset: no coverage verdict
      const emitted = new Set(records.flatMap((r) => r.types))
      const never = eventCatalog.names.filter((name) => !emitted.has(name))
      if (never.length > 0) {
        throw new Error(`catalog events that no test emitted (add a test that emits each): ${never.join(', ')}`)
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
