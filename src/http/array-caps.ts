import type { FastifyInstance } from 'fastify'
import { arraySchemas, DEFAULT_MAX_ITEMS } from '../core/oversize.js'

/**
 * Gives every array of a route's body, query and path schemas a `maxItems` (`DEFAULT_MAX_ITEMS`
 * when its schema has none), at registration, so that validation and the OpenAPI document both
 * carry it: no request array is unbounded, whoever writes the next route.
 */
export function registerArrayCaps(app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    const schema = route.schema as Record<string, unknown> | undefined
    if (!schema) return
    for (const part of [schema.body, schema.querystring, schema.params]) {
      for (const array of arraySchemas(part)) if (array.maxItems === undefined) array.maxItems = DEFAULT_MAX_ITEMS
    }
  })
}
