import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * One warn line logged with the settings a server takes for `format` and a terminal or not, in a
 * process of its own (pino-pretty writes to the real stdout, which only a child's output shows).
 */
function logOneWarning(format: 'auto' | 'json' | 'pretty', isTerminal: boolean): string {
  const script = `
    import Fastify from 'fastify'
    import { logSettings } from './src/cli/logging.ts'
    const settings = await logSettings({ logLevel: 'info', logFormat: '${format}' }, ${isTerminal})
    const app = Fastify({ logger: settings })
    app.log.warn({ endpoint_id: 'we_123', status: 500 }, 'webhook delivery failed: https://example.com/hooks answered 500')
  `
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  })
  expect(child.status, child.stderr).toBe(0)
  return child.stdout
}

describe('server logs', () => {
  test('are lines a person reads when stdout is a terminal: time, level, message, fields', () => {
    const out = logOneWarning('auto', true)
    expect(out).not.toMatch(/^\{/m)
    expect(out).toMatch(/\d\d:\d\d:\d\d\.\d{3}/)
    expect(out).toContain('WARN')
    expect(out).toContain('webhook delivery failed: https://example.com/hooks answered 500')
    expect(out).toContain('we_123')
  })

  test('are one JSON object per line otherwise, and RAPPORT_LOG_FORMAT forces either', () => {
    for (const [format, isTerminal] of [
      ['auto', false],
      ['json', true],
    ] as const) {
      const line = JSON.parse(logOneWarning(format, isTerminal).trim()) as Record<string, unknown>
      expect(line).toMatchObject({ level: 40, endpoint_id: 'we_123', status: 500 })
    }
    expect(logOneWarning('pretty', false)).toContain('WARN')
  })
})
