/**
 * The quick start's code, filled with this installation's address. Keys stay placeholders read
 * from the environment: the dashboard never prints a real key into copyable code.
 */

export type Language = 'curl' | 'javascript' | 'python'

export interface Example {
  title: string
  code: Record<Language, string>
}

export function examples(origin: string): Example[] {
  const api = `${origin}/api/v1`
  return [
    {
      title: 'Create a contact',
      code: {
        curl: `curl ${api}/contacts \\
  -H "Authorization: Bearer $RAPPORT_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"email":"jane@example.com","name":"Jane Doe","company":"Acme"}'`,
        javascript: `const res = await fetch('${api}/contacts', {
  method: 'POST',
  headers: {
    Authorization: \`Bearer \${process.env.RAPPORT_KEY}\`,
    'Content-Type': 'application/json',
  },
  body: JSON.stringify({ email: 'jane@example.com', name: 'Jane Doe', company: 'Acme' }),
})
const contact = await res.json()
console.log(contact.id)`,
        python: `import os
import requests

res = requests.post(
    "${api}/contacts",
    headers={"Authorization": f"Bearer {os.environ['RAPPORT_KEY']}"},
    json={"email": "jane@example.com", "name": "Jane Doe", "company": "Acme"},
)
res.raise_for_status()
print(res.json()["id"])`,
      },
    },
    {
      title: 'List contacts',
      code: {
        curl: `curl "${api}/contacts?limit=50" \\
  -H "Authorization: Bearer $RAPPORT_KEY"`,
        javascript: `const res = await fetch('${api}/contacts?limit=50', {
  headers: { Authorization: \`Bearer \${process.env.RAPPORT_KEY}\` },
})
const { data, pagination } = await res.json()
console.log(data.length, 'of', pagination.total)`,
        python: `import os
import requests

res = requests.get(
    "${api}/contacts",
    headers={"Authorization": f"Bearer {os.environ['RAPPORT_KEY']}"},
    params={"limit": 50},
)
page = res.json()
print(len(page["data"]), "of", page["pagination"]["total"])`,
      },
    },
    {
      title: 'Create a deal',
      code: {
        curl: `curl ${api}/deals \\
  -H "Authorization: Bearer $RAPPORT_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"title":"Acme, annual plan","value":"12000","currency":"USD","contact_id":"c_…"}'`,
        javascript: `const res = await fetch('${api}/deals', {
  method: 'POST',
  headers: {
    Authorization: \`Bearer \${process.env.RAPPORT_KEY}\`,
    'Content-Type': 'application/json',
  },
  body: JSON.stringify({ title: 'Acme, annual plan', value: '12000', currency: 'USD', contact_id: 'c_…' }),
})
const deal = await res.json()`,
        python: `import os
import requests

res = requests.post(
    "${api}/deals",
    headers={"Authorization": f"Bearer {os.environ['RAPPORT_KEY']}"},
    json={"title": "Acme, annual plan", "value": "12000", "currency": "USD", "contact_id": "c_…"},
)
deal = res.json()`,
      },
    },
    {
      title: 'Subscribe a webhook endpoint',
      code: {
        curl: `curl ${api}/webhook_endpoints \\
  -H "Authorization: Bearer $RAPPORT_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"url":"https://hooks.example.com/rapport","events":["contact.created","deal.won"]}'
# The answer's "secret" (whsec_…) signs every delivery: store it with your receiver.`,
        javascript: `const res = await fetch('${api}/webhook_endpoints', {
  method: 'POST',
  headers: {
    Authorization: \`Bearer \${process.env.RAPPORT_KEY}\`,
    'Content-Type': 'application/json',
  },
  body: JSON.stringify({ url: 'https://hooks.example.com/rapport', events: ['contact.created', 'deal.won'] }),
})
const { id, secret } = await res.json() // secret (whsec_…) signs every delivery`,
        python: `import os
import requests

res = requests.post(
    "${api}/webhook_endpoints",
    headers={"Authorization": f"Bearer {os.environ['RAPPORT_KEY']}"},
    json={"url": "https://hooks.example.com/rapport", "events": ["contact.created", "deal.won"]},
)
endpoint = res.json()  # endpoint["secret"] (whsec_…) signs every delivery`,
      },
    },
  ]
}

/** Verifying the Standard Webhooks signature (webhook-id, webhook-timestamp, webhook-signature). */
export const VERIFY: Record<Exclude<Language, 'curl'>, string> = {
  javascript: `import { createHmac, timingSafeEqual } from 'node:crypto'

// secret: the endpoint's signing secret (whsec_…); rawBody: the request body as received, unparsed.
export function verifyRapportWebhook(secret, headers, rawBody) {
  const id = headers['webhook-id']
  const timestamp = headers['webhook-timestamp']
  const signatures = String(headers['webhook-signature'] ?? '').split(' ')
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false // replayed or stale
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const expected = createHmac('sha256', key).update(\`\${id}.\${timestamp}.\${rawBody}\`).digest()
  // During a secret rotation several "v1,<base64>" signatures are sent: any one may match.
  return signatures.some((s) => {
    const [version, mac] = s.split(',')
    const given = Buffer.from(mac ?? '', 'base64')
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected)
  })
}`,
  python: `import base64
import hashlib
import hmac
import time

# secret: the endpoint's signing secret (whsec_…); raw_body: the request body as received (bytes).
def verify_rapport_webhook(secret: str, headers, raw_body: bytes) -> bool:
    msg_id = headers["webhook-id"]
    timestamp = headers["webhook-timestamp"]
    if abs(time.time() - int(timestamp)) > 300:  # replayed or stale
        return False
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + raw_body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    # During a secret rotation several "v1,<base64>" signatures are sent: any one may match.
    return any(
        sig.startswith("v1,") and hmac.compare_digest(sig[3:], expected)
        for sig in headers["webhook-signature"].split(" ")
    )`,
}
