import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Worker } from '../../src/webhook-worker/worker.js'
import { worker } from '../delivery/fixtures.js'
import { type TestApp, testApp } from '../harness.js'
import { startReceiver } from '../receiver.js'
import { listenOnLoopback, pythonRequestsAvailable, runCurl, runNode, runPython, type Swaps } from './examples.js'

/*
 * The CRM developer document's examples (Sambandh): authentication and contact creation in curl,
 * JavaScript and Python, and its webhook signature check, run as written against Rapport on
 * loopback. Swapped: the host and the key (and, for the signature check, the signing secret and the
 * handler's `rawBody` / `req`, which the document leaves to the reader's server).
 */
const LIST_CURL = `curl -X GET https://sambandh.io/api/v1/contacts \\
-H "Authorization: Bearer sb_live_your_api_key" \\
-H "Content-Type: application/json"`
const LIST_JS = `const response = await fetch("https://sambandh.io/api/v1/contacts", {
headers: {
"Authorization": "Bearer sb_live_your_api_key",
"Content-Type": "application/json",
},
});
const data = await response.json();`
const LIST_PY = `import requests
response = requests.get(
"https://sambandh.io/api/v1/contacts",
headers={
"Authorization": "Bearer sb_live_your_api_key",
"Content-Type": "application/json",
},
)
data = response.json()`
const CREATE_CURL = `curl -X POST https://sambandh.io/api/v1/contacts \\
-H "Authorization: Bearer sb_live_your_api_key" \\
-H "Content-Type: application/json" \\
-d '{
"name": "Jane Doe",
"email": "jane@example.com",
"phone": "+1-555-0100",
"tags": ["lead", "enterprise"]
}'`
const CREATE_JS = `const response = await fetch("https://sambandh.io/api/v1/contacts", {
method: "POST",
headers: {
"Authorization": "Bearer sb_live_your_api_key",
"Content-Type": "application/json",
},
body: JSON.stringify({
name: "Jane Doe",
email: "jane@example.com",
phone: "+1-555-0100",
tags: ["lead", "enterprise"],
}),
});
const contact = await response.json();`
const CREATE_PY = `import requests
response = requests.post(
"https://sambandh.io/api/v1/contacts",
headers={
"Authorization": "Bearer sb_live_your_api_key",
"Content-Type": "application/json",
},
json={
"name": "Jane Doe",
"email": "jane@example.com",
"phone": "+1-555-0100",
"tags": ["lead", "enterprise"],
},
)
contact = response.json()`
const VERIFY_JS = `const crypto = require("crypto");
function verifySignature(payload, signature, secret) {
const expected = crypto
.createHmac("sha256", secret)
.update(payload)
.digest("hex");
return crypto.timingSafeEqual(
Buffer.from(signature),
Buffer.from(expected)
);
}
// In your webhook handler:
const isValid = verifySignature(
rawBody,
req.headers["x-webhook-signature"],
"whsec_your_signing_secret"
);`

let h: TestApp
let base: string

beforeAll(async () => {
  h = await testApp({ env: { RAPPORT_WEBHOOK_ALLOW_PRIVATE: '1' } })
  base = await listenOnLoopback(h.app)
})

/** The host and a key of a fresh organization (each create runs in its own: one email per org). */
async function swapsForNewOrg(): Promise<Swaps> {
  const org = await h.newOrg('pro')
  return { 'https://sambandh.io': base, sb_live_your_api_key: org.key }
}

const EXPECTED_CONTACT = {
  object: 'contact',
  name: 'Jane Doe',
  email: 'jane@example.com',
  phone: '+1-555-0100',
  tags: ['lead', 'enterprise'],
}

describe('authentication and contacts, as the document shows them', () => {
  test('curl: list answers the contact list; create answers 201 with the contact', async () => {
    const swaps = await swapsForNewOrg()
    const created = await runCurl(CREATE_CURL, swaps)
    expect(created.status).toBe(201)
    expect(created.json()).toMatchObject(EXPECTED_CONTACT)
    const list = await runCurl(LIST_CURL, swaps)
    expect(list.status).toBe(200)
    expect(list.json().data).toEqual([expect.objectContaining({ email: 'jane@example.com' })])
  })

  test('JavaScript (fetch in Node): list and create', async () => {
    const swaps = await swapsForNewOrg()
    const created = await runNode(CREATE_JS, swaps, 'console.log(JSON.stringify({ status: response.status, contact }))')
    expect(created.stderr).toBe('')
    expect(JSON.parse(created.stdout)).toMatchObject({ status: 201, contact: EXPECTED_CONTACT })
    const list = await runNode(LIST_JS, swaps, 'console.log(JSON.stringify({ status: response.status, data }))')
    expect(JSON.parse(list.stdout)).toMatchObject({ status: 200, data: { data: [{ email: 'jane@example.com' }] } })
  })

  test.skipIf(!pythonRequestsAvailable())('Python (requests): list and create', async () => {
    const swaps = await swapsForNewOrg()
    const created = await runPython(
      CREATE_PY,
      swaps,
      'import json\nprint(json.dumps({"status": response.status_code, "contact": contact}))',
    )
    expect(created.exitCode).toBe(0)
    expect(JSON.parse(created.stdout)).toMatchObject({ status: 201, contact: EXPECTED_CONTACT })
    const list = await runPython(
      LIST_PY,
      swaps,
      'import json\nprint(json.dumps({"status": response.status_code, "data": data}))',
    )
    expect(JSON.parse(list.stdout)).toMatchObject({ status: 200, data: { data: [{ email: 'jane@example.com' }] } })
  })
})

describe('the document’s signature check', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>
  let deliveryWorker: Worker
  beforeAll(async () => {
    receiver = await startReceiver()
    deliveryWorker = await worker(h)
  })
  afterAll(async () => {
    await deliveryWorker?.stop(1000)
    await receiver?.close()
  })

  test('accepts a real delivery with the endpoint’s secret, and refuses it with another', async () => {
    const endpoint = (
      await h.api('POST', '/api/v1/webhook_endpoints', { url: receiver.url, events: ['contact.created'] })
    ).json()
    const email = `signed-${Math.random().toString(36).slice(2)}@example.com`
    await h.api('POST', '/api/v1/contacts', { email })
    // This worker claims every due delivery in the database. On the suite's shared PostgreSQL that
    // includes another file's retry, whose old receiver port this receiver may now hold: the
    // delivery checked is the one of this contact.
    const ours = () => receiver.received.find((r) => r.body.includes(email))
    await expect.poll(() => ours() !== undefined, { timeout: 15_000 }).toBe(true)
    const delivery = ours()!
    expect(delivery.headers['x-webhook-event']).toBe('contact.created')
    // The handler's request, as the reader's server would have it.
    const handler = `const rawBody = ${JSON.stringify(delivery.body)};
const req = { headers: ${JSON.stringify(delivery.headers)} };
`
    const verdict = async (secret: string) =>
      (
        await runNode(
          `${handler}${VERIFY_JS}`,
          { whsec_your_signing_secret: secret },
          'console.log(isValid)',
          'commonjs',
        )
      ).stdout.trim()
    expect(await verdict(endpoint.secret)).toBe('true')
    expect(await verdict('whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toBe('false')
    await h.api('DELETE', `/api/v1/webhook_endpoints/${endpoint.id}`)
  })
})
