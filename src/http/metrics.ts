import type { FastifyInstance } from 'fastify'
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client'

/** The Prometheus metrics of one app instance (own registry, so tests can run several apps). */
export function createMetrics() {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  return {
    registry,
    requests: new Counter({
      name: 'rapport_http_requests_total',
      help: 'HTTP requests by route, method and status',
      labelNames: ['route', 'method', 'status'] as const,
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'rapport_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['route', 'method'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    rateLimitRejections: new Counter({
      name: 'rapport_rate_limit_rejections_total',
      help: 'Requests answered 429 by the rate limiter, by plan',
      labelNames: ['plan'] as const,
      registers: [registry],
    }),
    rateLimitStoreErrors: new Counter({
      name: 'rapport_rate_limit_store_errors_total',
      help: 'Rate-limit store failures (the request was let through)',
      registers: [registry],
    }),
  }
}

export type Metrics = ReturnType<typeof createMetrics>

interface Children {
  count: ReturnType<Metrics['requests']['labels']>
  latency: ReturnType<Metrics['latency']['labels']>
}

export function registerMetrics(app: FastifyInstance, metrics: Metrics) {
  // The labelled series of each route, method and status, made once: prom-client would otherwise
  // hash the label object on every request. Bounded by the routes (unknown paths are "unmatched").
  const children = new Map<string, Children>()
  // A callback hook, not an async one: no promise per request on the hot path.
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched'
    const key = `${req.method} ${reply.statusCode} ${route}`
    let series = children.get(key)
    if (!series) {
      series = {
        count: metrics.requests.labels(route, req.method, String(reply.statusCode)),
        latency: metrics.latency.labels(route, req.method),
      }
      children.set(key, series)
    }
    series.count.inc()
    series.latency.observe(reply.elapsedTime / 1000)
    done()
  })
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  )
}
