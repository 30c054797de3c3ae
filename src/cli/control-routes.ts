import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import Type from 'typebox'
import { ApiError } from '../core/errors.js'
import { safeEqual } from '../lib/crypto.js'
import { CONTROL_PATH } from './control-file.js'
import { COMMAND_NAMES, type OperationContext, type OperationRequest, runOperation } from './operations.js'

const ControlRequest = Type.Object(
  {
    command: Type.Enum(COMMAND_NAMES),
    args: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
)

/**
 * Runs the commands of the CLI while this server holds the embedded data dir, which PGlite lets
 * no other process open (docs/decisions/0002). Hidden from the OpenAPI document, and answered like
 * an unknown route unless the request comes from this machine with the control file's token.
 */
export function controlRoutes(ctx: OperationContext, token: string) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

    app.addHook('onRequest', async (req) => {
      if (!isFromThisMachine(req) || !safeEqual(bearerOf(req), token)) {
        throw new ApiError('route_not_found', `No route for ${req.method} ${req.url.split('?')[0]}`)
      }
    })

    app.post(CONTROL_PATH, { schema: { hide: true, body: ControlRequest } }, async (req) =>
      runOperation(ctx, req.body as OperationRequest),
    )
  }
}

function bearerOf(req: FastifyRequest): string {
  const header = req.headers.authorization ?? ''
  return header.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : ''
}

/** Loopback, or a connection to one of this host's own addresses from that same address. */
function isFromThisMachine(req: FastifyRequest): boolean {
  const remote = req.socket.remoteAddress ?? ''
  const loopback = remote === '::1' || remote.startsWith('127.') || remote.startsWith('::ffff:127.')
  return loopback || remote === req.socket.localAddress
}
