import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type TestApp, testApp } from '../harness.js'
import { listenOnLoopback, pythonRequestsAvailable, runNode, runPython, type Swaps } from './examples.js'

/*
 * The examples of the form-response API document (CallMeBack), run as written against Rapport on
 * loopback: the Python `requests` example through python3, the Node.js example through node.
 * Swapped: the host, YOUR_API_KEY, and the placeholder domain id (for a hostname of a domain the
 * organization has, which the route accepts as well as an id). The document's text lost its
 * indentation; it is restored here, as a reader would type it. Two things the Node example takes
 * from its surroundings: `axios` is the real library (a development dependency, so `require`
 * finds it) and `navigator`, a browser global that Node 20 lacks, is defined before it runs. The
 * PHP example is not run: no PHP on the test machines.
 * The organization is on the free plan: lead capture is on every plan.
 */

const PYTHON = `import requests
import json
def submit_form_response(form_data):
    api_key = 'YOUR_API_KEY'
    domain_id = 'your-domain-id'
    url = 'https://yourdomain.com/api/v1/form_responses'
    headers = {
        'Content-Type': 'application/json',
        'Authorization': f'Bearer {api_key}'
    }
    data = {
        'form_response': {
            'domain_id': domain_id,
            'form_data': form_data,
            'form_type': 'contact',
            'source_url': 'https://yourwebsite.com/contact',
            'user_agent': 'Mozilla/5.0...',
            'ip_address': '192.168.1.1'
        }
    }
    try:
        response = requests.post(url, headers=headers, json=data)
        response.raise_for_status()
        result = response.json()
        print('Form submitted successfully:', result)
        return result
    except requests.exceptions.RequestException as e:
        print('Error submitting form:', e)
        raise
# Usage
form_data = {
    'name': 'John Doe',
    'email': 'john@example.com',
    'phone': '+1234567890',
    'message': 'I\\'m interested in your services'
}
submit_form_response(form_data)`

const NODE = `const axios = require('axios');
const submitFormResponse = async (formData) => {
  try {
    const response = await axios.post('https://yourdomain.com/api/v1/form_responses', {
      form_response: {
        domain_id: 'your-domain-id',
        form_data: formData,
        form_type: 'contact',
        source_url: 'https://yourwebsite.com/contact',
        user_agent: navigator.userAgent,
        ip_address: '192.168.1.1'
      }
    }, {
      headers: {
        'Content-Type': 'application/json',
        'Authorization': 'Bearer YOUR_API_KEY'
      }
    });
    console.log('Form submitted successfully:', response.data);
    return response.data;
  } catch (error) {
    console.error('Error submitting form:', error.response?.data || error.message);
    throw error;
  }
};
// Usage
submitFormResponse({
  name: 'John Doe',
  email: 'john@example.com',
  phone: '+1234567890',
  message: 'I\\'m interested in your services'
});`

/** What the Node example takes from a browser: `navigator` (Node 20 has none). */
const NODE_SURROUNDINGS = `globalThis.navigator ??= { userAgent: 'Mozilla/5.0 (example)' };
process.on('unhandledRejection', () => { process.exitCode = 1 });`

describe('CallMeBack: the document’s examples', () => {
  let h: TestApp
  let base: string
  const hostname = 'www.callmeback-example.com'
  let domainId: string
  const swaps = (over: Partial<Record<string, string>> = {}): Swaps =>
    Object.fromEntries(
      Object.entries({
        'https://yourdomain.com': base,
        YOUR_API_KEY: h.org.key,
        'your-domain-id': hostname,
        ...over,
      }).filter((e): e is [string, string] => e[1] !== undefined),
    )

  beforeAll(async () => {
    h = await testApp({ plan: 'free' })
    base = await listenOnLoopback(h.app)
    const domain = await h.api('POST', '/api/v1/domains', { hostname })
    if (domain.statusCode !== 201) throw new Error(domain.body)
    domainId = domain.json().id
  })
  afterAll(async () => {
    await h?.close()
  })

  const latestResponse = async () => (await h.api('GET', '/api/v1/form_responses?limit=1')).json().data[0]

  test.runIf(pythonRequestsAvailable())(
    'the Python example stores the response and prints the 201 answer',
    async () => {
      const run = await runPython(PYTHON, swaps())
      expect(run.stderr).toBe('')
      expect(run.exitCode).toBe(0)
      expect(run.stdout).toMatch(
        /^Form submitted successfully: \{'id': 'fr_\w+', 'status': 'created', 'lead_id': 'c_\w+', 'callback_scheduled': False, 'created_at': '[^']+'\}\n$/,
      )
      const stored = await latestResponse()
      expect(stored).toMatchObject({
        domain_id: domainId,
        form_type: 'contact',
        source_url: 'https://yourwebsite.com/contact',
        ip_address: '192.168.1.1',
        form_data: { name: 'John Doe', email: 'john@example.com', phone: '+1234567890' },
      })
    },
  )

  test('the Node.js example stores the response and logs the 201 answer', async () => {
    const code = `${NODE_SURROUNDINGS}\n${NODE}`
    const run = await runNode(code, swaps(), '', 'commonjs')
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/^Form submitted successfully: \{\n\s+id: 'fr_\w+',\n\s+status: 'created',/)
    expect((await latestResponse()).domain_id).toBe(domainId)
  })

  test.runIf(pythonRequestsAvailable())(
    'with the placeholder domain id as printed, the answer is the document’s 422 and says how to create a domain',
    async () => {
      const before = (await h.api('GET', '/api/v1/form_responses')).json().pagination.total
      // As printed, the example's function raises on the 422 (raise_for_status); the test sends the
      // same request its way and reads the answer.
      const probe = `${PYTHON.slice(0, PYTHON.lastIndexOf('submit_form_response(form_data)'))}
api_key = 'YOUR_API_KEY'
url = 'https://yourdomain.com/api/v1/form_responses'
headers = {'Content-Type': 'application/json', 'Authorization': f'Bearer {api_key}'}
data = {'form_response': {'domain_id': 'your-domain-id', 'form_data': form_data}}
response = requests.post(url, headers=headers, json=data)
print(response.status_code)
print(json.dumps(response.json()))
print(response.headers['X-Request-Id'])`
      const run = await runPython(probe, swaps({ 'your-domain-id': undefined }))
      expect(run.exitCode, run.stderr).toBe(0)
      const [status, body, requestId] = run.stdout.trim().split('\n') as [string, string, string]
      expect(status).toBe('422')
      const answer = JSON.parse(body)
      expect(answer).toMatchObject({ error: 'Validation failed', code: 'validation_failed', request_id: requestId })
      expect(answer.details.domain_id[0]).toMatch(/your-domain-id.*POST \/api\/v1\/domains/)
      expect((await h.api('GET', '/api/v1/form_responses')).json().pagination.total).toBe(before)
    },
  )

  test('a wrong key: the Node example logs the document’s 401 body, with a request id', async () => {
    const code = `${NODE_SURROUNDINGS}\n${NODE}`
    const run = await runNode(code, swaps({ YOUR_API_KEY: 'rk_live_notavalidkeynotavalidkey0000' }), '', 'commonjs')
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toMatch(/^Error submitting form: \{\n\s+error: 'Invalid API key',/)
    expect(run.stderr).toMatch(/request_id: 'req_\w+'/)
  })

  test('the 422 and 429 bodies of the document, over HTTP', async () => {
    const post = (body: unknown) =>
      fetch(`${base}/api/v1/form_responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${h.org.key}` },
        body: JSON.stringify(body),
      })
    const invalid = await post({ form_response: { form_data: { email: 'not-an-email' } } })
    expect(invalid.status).toBe(422)
    const body = await invalid.json()
    expect(body).toMatchObject({
      error: 'Validation failed',
      details: { 'form_data.email': ['is invalid'] },
    })
    expect(body.request_id).toBe(invalid.headers.get('x-request-id'))
    // The free plan's 10 a minute (this file's other requests count too): the next ones are refused.
    let last = invalid
    for (let i = 0; i < 12 && last.status !== 429; i++) {
      last = await post({ form_response: { form_data: { email: 'jane@example.com' } } })
    }
    expect(last.status).toBe(429)
    const limited = await last.json()
    expect(limited).toMatchObject({ error: 'Rate limit exceeded', code: 'rate_limited' })
    expect(limited.retry_after).toBe(Number(last.headers.get('retry-after')))
    expect(last.headers.get('x-ratelimit-limit')).toBe('10')
  })
})
