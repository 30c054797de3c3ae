import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { parse } from 'yaml'

/*
 * No container engine runs here, so the Dockerfile and compose.yaml are checked by reading them:
 * the structure docs/deploy.md promises, and that every file they copy or name exists.
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
