/**
 * The load: autocannon, run programmatically in the benchmark's own process, with a fixed number
 * of connections for a fixed duration. The same load runs against the baseline and against Rapport.
 */
import autocannon from 'autocannon'

export type Workload = 'get-contact' | 'create-contact'

export interface LoadOptions {
  connections: number
  durationSec: number
  /** Sent on every request, to the baseline too (it ignores it): the generator does the same work. */
  apiKey: string
  /** The seeded contacts that `get-contact` reads, in turn. */
  contactIds: string[]
}

export interface Measurement {
  reqPerSec: number
  requests: number
  p50Ms: number
  p99Ms: number
  /** CPU time of the server process per answered request (filled in by the caller). */
  serverCpuUsPerRequest?: number
}

/** Each created contact gets an email no other request of this run uses. */
let emailCounter = 0
const runTag = Date.now().toString(36)

function requestsFor(workload: Workload, contactIds: string[]): autocannon.Request[] {
  if (workload === 'get-contact') {
    let next = 0
    return [
      {
        method: 'GET',
        setupRequest: (req) => ({ ...req, path: `/api/v1/contacts/${contactIds[next++ % contactIds.length]}` }),
      },
    ]
  }
  return [
    {
      method: 'POST',
      path: '/api/v1/contacts',
      headers: { 'content-type': 'application/json' },
      setupRequest: (req) => {
        const n = emailCounter++
        return {
          ...req,
          body: JSON.stringify({ name: `Bench Contact ${n}`, email: `bench-${runTag}-${n}@example.com` }),
        }
      },
    },
  ]
}

/** Runs the load against `url`; throws when any response is not a 2xx or any connection fails. */
export async function runLoad(url: string, workload: Workload, options: LoadOptions): Promise<Measurement> {
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.durationSec,
    headers: { authorization: `Bearer ${options.apiKey}` },
    requests: requestsFor(workload, options.contactIds),
  })
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    const statuses = JSON.stringify(result.statusCodeStats ?? {})
    throw new Error(
      `${workload} on ${url}: ${result.non2xx} non-2xx responses (${statuses}), ${result.errors} errors, ${result.timeouts} timeouts`,
    )
  }
  const requests = result['2xx']
  return {
    reqPerSec: requests / result.duration,
    requests,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  }
}
