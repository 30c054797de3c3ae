import { defineConfig } from 'vitest/config'

/**
 * Pure tests: no database, server, process or network. They share one module graph per worker
 * (`isolate: false`) and run in seconds: `npm run test:unit`.
 */
const UNIT = [
  'test/errors-doc.test.ts',
  'test/ratelimit/limiter.test.ts',
  'test/scheduling/local-time.test.ts',
  'test/scheduling/validation.test.ts',
  'test/scheduling/slots.*.test.ts',
  'test/cli/deploy-files.test.ts',
  'test/modules/deliverability-inbound-parse.test.ts',
  'test/db/lease-worker.test.ts',
  'test/architecture/*.test.ts',
  'test/web/*.test.ts',
]

/**
 * Files that need a module graph and process of their own: they start rapport processes, browsers
 * or several apps on databases of their own, and gain nothing from a shared worker.
 */
const ISOLATED = ['test/cli/**/*.test.ts', 'test/browser/**/*.test.ts']

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: two test files at a time.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT, isolate: false } },
      {
        extends: true,
        test: {
          // Integration tests share a worker's modules (imported once, not once per file);
          // test/setup.ts gives each file its database and apps, closes them after it, and fails
          // a file that leaves a server, process or worker behind.
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...UNIT, ...ISOLATED],
          // event-schemas: every stored event is checked against its catalog schema after each
          // file, and a full run fails when a catalog event is emitted by no test.
          globalSetup: ['test/global-setup.ts', 'test/event-schemas.global.ts'],
          setupFiles: ['test/setup.ts', 'test/event-schemas.setup.ts'],
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'isolated',
          include: ISOLATED,
          globalSetup: ['test/global-setup.ts'],
          setupFiles: ['test/setup.ts'],
        },
      },
    ],
  },
})
