import { existsSync, statSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { CONTROL_FILE, CONTROL_PATH, readControlFile } from '../../src/cli/control-file.js'
import { LOCK_FILE } from '../../src/db/data-dir-lock.js'
import { type RapportProcess, runRapport, spawnRapport, stop, tempDir } from './rapport-process.js'

// One data dir for the whole file, in order: creating a PGlite data dir costs seconds. The timeouts
// are generous because every step spawns Node processes, which a busy CI machine slows down a lot.
describe('rapport on an embedded data dir', () => {
  const dataDir = path.join(tempDir('rapport-cli-'), 'data')
  const env = { RAPPORT_DATA_DIR: dataDir, RAPPORT_KEY_CACHE_MS: '0' }
  const rapport = (...args: string[]) => runRapport(args, env)
  let server: RapportProcess
  let url: string
  let orgKey: string

  test('org create, key create, key list and key revoke run directly on the data dir', async () => {
    const created = await rapport('org', 'create', '--name', 'Acme', '--plan', 'teams', '--json')
    expect(created.stderr).toBe('')
    expect(created.code).toBe(0)
    const org = created.json.org as { id: string; plan: string }
    expect(org.plan).toBe('teams')
    expect((created.json.api_key as { key: string }).key).toMatch(/^rk_live_/)

    const key = await rapport('key', 'create', '--org', org.id, '--mode', 'test', '--scopes', 'read,write', '--json')
    expect(key.code).toBe(0)
    expect(key.json).toMatchObject({ object: 'api_key', mode: 'test', scopes: ['read', 'write'] })
    expect(key.json.key).toMatch(/^rk_test_/)

    const listed = await rapport('key', 'list', '--org', org.id, '--json')
    expect(listed.code).toBe(0)
    const keys = listed.json.data as Record<string, unknown>[]
    expect(keys.map((k) => k.id).sort()).toEqual([(created.json.api_key as { id: string }).id, key.json.id].sort())
    expect(keys.every((k) => !('key' in k))).toBe(true)

    const revoked = await rapport('key', 'revoke', String(key.json.id), '--json')
    expect(revoked.code).toBe(0)
    expect(revoked.json).toEqual({ id: key.json.id, object: 'api_key', revoked: true })
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false)
  }, 240_000)

  test('a command line mistake exits 2 with one line on stderr and an error object on stdout', async () => {
    const result = await rapport('key', 'create', '--json')
    expect(result.code).toBe(2)
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1)
    expect(result.stderr).toContain('Missing --org')
    expect(result.json).toEqual({ error: { code: 'usage', message: expect.stringContaining('Missing --org') } })
  }, 60_000)

  test('while a server holds the data dir, commands run through it and its new key works at once', async () => {
    server = spawnRapport(['start'], env)
    url = await server.waitForUrl()
    expect(statSync(path.join(dataDir, CONTROL_FILE)).mode & 0o777).toBe(0o600)

    const created = await rapport('org', 'create', '--name', 'Forwarded', '--plan', 'pro', '--json')
    expect(created.code).toBe(0)
    const orgId = (created.json.org as { id: string }).id
    orgKey = (created.json.api_key as { key: string }).key
    expect((await get(url, '/api/v1/contacts', orgKey)).status).toBe(200)

    const key = await rapport('key', 'create', '--org', orgId, '--name', 'CI', '--json')
    expect(key.code).toBe(0)
    expect((await get(url, '/api/v1/contacts', String(key.json.key))).status).toBe(200)
    const listed = await rapport('key', 'list', '--org', orgId, '--json')
    expect((listed.json.data as unknown[]).length).toBe(2)

    expect((await rapport('key', 'revoke', String(key.json.id), '--json')).code).toBe(0)
    expect((await get(url, '/api/v1/contacts', String(key.json.key))).status).toBe(401)

    const missing = await rapport('key', 'list', '--org', 'org_missing', '--json')
    expect(missing.code).toBe(1)
    expect(missing.stderr.trimEnd().split('\n')).toEqual(['rapport: Organization org_missing not found'])
    expect(missing.json).toEqual({ error: { code: 'not_found', message: 'Organization org_missing not found' } })
  }, 180_000)

  test('the control endpoint is a plain 404 without its token, and absent from the OpenAPI document', async () => {
    const body = JSON.stringify({ command: 'org.list', args: {} })
    const anonymous = await fetch(new URL(CONTROL_PATH, url), { method: 'POST', body })
    expect(anonymous.status).toBe(404)
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('route_not_found')
    const wrongToken = await fetch(new URL(CONTROL_PATH, url), {
      method: 'POST',
      headers: { authorization: 'Bearer not-the-token', 'content-type': 'application/json' },
      body,
    })
    expect(wrongToken.status).toBe(404)
    const control = readControlFile(dataDir)!
    const withToken = await fetch(new URL(CONTROL_PATH, url), {
      method: 'POST',
      headers: { authorization: `Bearer ${control.token}`, 'content-type': 'application/json' },
      body,
    })
    expect(withToken.status).toBe(200)
    const openapi = await (await fetch(new URL('/api/v1/openapi.json', url))).text()
    expect(openapi).not.toContain('_control')
  })

  test('a second server on the same data dir refuses to start and says why', async () => {
    const second = spawnRapport(['start'], env)
    const exit = await second.exited
    expect(exit.code).toBe(1)
    expect(second.stderr()).toContain(`in use by another Rapport process (pid ${server.child.pid}, rapport start)`)
  }, 60_000)

  test('SIGTERM lets a request in flight finish, then exits 0 and frees the data dir', async () => {
    const body = JSON.stringify({ email: 'drain@example.com', name: 'Drained Before Exit' })
    const half = Math.floor(body.length / 2)
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(new URL('/api/v1/contacts', url), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${orgKey}`,
          'content-type': 'application/json',
          'content-length': body.length,
        },
      })
      req.on('response', (res) => {
        let text = ''
        res.setEncoding('utf8').on('data', (c: string) => {
          text += c
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
      })
      req.on('error', reject)
      req.write(body.slice(0, half))
      ;(async () => {
        // Only half the body has arrived: the request is in flight when the signal lands.
        await server.waitForLog(
          (l) =>
            l.msg === 'incoming request' &&
            (l.req as { url: string }).url === '/api/v1/contacts' &&
            (l.req as { method: string }).method === 'POST',
        )
        server.child.kill('SIGTERM')
        await server.waitForLog((l) => l.signal === 'SIGTERM')
        req.end(body.slice(half))
      })().catch(reject)
    })
    const res = await answer
    expect(res.status).toBe(201)
    expect(JSON.parse(res.body)).toMatchObject({ email: 'drain@example.com' })
    expect(await server.exited).toEqual({ code: 0, signal: null })
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false)
    expect(existsSync(path.join(dataDir, CONTROL_FILE))).toBe(false)
  }, 60_000)

  test('the data survives a server restart', async () => {
    server = spawnRapport(['start'], env)
    url = await server.waitForUrl()
    const res = await get(url, '/api/v1/contacts', orgKey)
    expect(res.status).toBe(200)
    expect(((await res.json()) as { data: { email: string }[] }).data.map((c) => c.email)).toEqual([
      'drain@example.com',
    ])
    const orgs = await rapport('org', 'list', '--json')
    expect((orgs.json.data as { name: string }[]).map((o) => o.name).sort()).toEqual(['Acme', 'Forwarded'])
    await stop(server.child)
    expect(await server.exited).toEqual({ code: 0, signal: null })
  }, 180_000)
})

function get(base: string, pathname: string, key: string) {
  return fetch(new URL(pathname, base), { headers: { authorization: `Bearer ${key}` } })
}
