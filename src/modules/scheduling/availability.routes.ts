import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify'
import { ifMatchOf } from '../../core/preconditions.js'
import { validatorCompiler } from '../../core/validation.js'
import { Availability } from '../../slot-engine/index.js'
import { type AvailabilityService, HostAvailability } from './availability.service.js'
import { HostIdParams } from './event-types.schemas.js'

/**
 * The body of PUT availability is documented by the engine's `Availability` schema but checked by
 * the engine's validator, whose details name fields as `weekly[2].end` (the request validator
 * would say `weekly.2.end`) and which also checks what JSON Schema cannot (order, overlaps, dates).
 */
const bodyCheckedByService: FastifySchemaCompiler<unknown> = (route) =>
  route.httpPart === 'body' ? (data: unknown) => ({ value: data }) : validatorCompiler(route)

export function availabilityRoutes(availability: AvailabilityService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['scheduling']

    app.get(
      '/api/v1/users/:id/availability',
      {
        config: { scope: 'read', etag: true },
        schema: {
          operationId: 'getAvailability',
          summary: 'Get a host’s availability',
          description:
            'The weekly working ranges and date overrides of a user, in the user’s time zone. A host that never set any has empty lists (and offers no slots). Answers with an `ETag`.',
          tags,
          params: HostIdParams,
          response: { 200: HostAvailability },
        },
      },
      async (req) => availability.get(req.principal, req.params.id),
    )

    app.put(
      '/api/v1/users/:id/availability',
      {
        config: { scope: 'admin', etag: true },
        validatorCompiler: bodyCheckedByService,
        schema: {
          operationId: 'setAvailability',
          summary: 'Set a host’s availability',
          description:
            'Replaces the weekly ranges and date overrides (an override with no ranges closes the day). Every problem is reported at once, as 422 details naming fields such as `weekly[2].end`. Only live keys change it (it is shared by both modes). Honours `If-Match` (412).',
          tags,
          params: HostIdParams,
          body: Availability,
          response: { 200: HostAvailability },
        },
      },
      async (req) => availability.put(req.principal, req.params.id, req.body, { ifMatch: ifMatchOf(req) }),
    )
  }
}
