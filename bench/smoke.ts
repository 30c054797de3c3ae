/**
 * Checks a freshly started server before it is measured: it must answer the benchmark's requests
 * with a 2xx and the right contact, and Rapport's rate limiter must be counting (the limit headers
 * are there and `remaining` goes down), so the benchmark exercises it without it ever rejecting.
 */
import type { Seeded } from './database.js'

async function call(url: string, key: string, init: RequestInit = {}) {
  const res = await fetch(url, {
    ...init,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers },
  })
  const body = (await res.json()) as Record<string, unknown>
  return { status: res.status, headers: res.headers, body }
}

export async function checkServer(baseUrl: string, isRapport: boolean, seeded: Seeded): Promise<void> {
  const id = seeded.contactIds[0]!
  const first = await call(`${baseUrl}/api/v1/contacts/${id}`, seeded.key)
  const second = await call(`${baseUrl}/api/v1/contacts/${id}`, seeded.key)
  if (first.status !== 200 || first.body.id !== id) {
    throw new Error(`${baseUrl}: GET contact answered ${first.status} ${JSON.stringify(first.body)}`)
  }
  if (isRapport) {
    const remaining = [first, second].map((r) => Number(r.headers.get('x-ratelimit-remaining')))
    if (!(remaining[0]! > remaining[1]!)) {
      throw new Error(`${baseUrl}: the rate limiter is not counting (x-ratelimit-remaining: ${remaining.join(', ')})`)
    }
  }
  const email = `smoke-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}@example.com`
  const created = await call(`${baseUrl}/api/v1/contacts`, seeded.key, {
    method: 'POST',
    body: JSON.stringify({ name: 'Smoke Test', email }),
  })
  if (created.status !== 201 || created.body.email !== email) {
    throw new Error(`${baseUrl}: POST contact answered ${created.status} ${JSON.stringify(created.body)}`)
  }
}
