import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { ifMatchOf } from '../../core/preconditions.js'
import { Deleted } from '../../core/schemas.js'
import {
  User,
  UserCreate,
  UserDeleteQuery,
  UserIdParams,
  UserList,
  UserListQuery,
  UserUpdate,
} from './users.schemas.js'
import type { UsersService } from './users.service.js'

export function usersRoutes(users: UsersService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['users']
    const shared =
      ' Users belong to the organization and are the same in live and test mode; only live keys change them.'

    app.get(
      '/api/v1/users',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listUsers',
          summary: 'List users',
          description: `The people of the organization, filtered and paged.${shared}`,
          tags,
          querystring: UserListQuery,
          response: { 200: UserList },
        },
      },
      async (req) => users.list(req.principal, req.query),
    )

    app.post(
      '/api/v1/users',
      {
        config: { scope: 'admin' },
        schema: {
          operationId: 'createUser',
          summary: 'Add a user',
          description: `Adds a person to the organization. A taken username or email is a 409.${shared}`,
          tags,
          body: UserCreate,
          response: { 201: User },
        },
      },
      async (req, reply) => reply.code(201).send(await users.create(req.principal, req.body)),
    )

    app.get(
      '/api/v1/users/:id',
      {
        config: { scope: 'read', etag: true },
        schema: {
          operationId: 'getUser',
          summary: 'Get a user',
          description: 'Answers with an `ETag` for `If-Match`.',
          tags,
          params: UserIdParams,
          response: { 200: User },
        },
      },
      async (req) => users.get(req.principal, req.params.id),
    )

    app.patch(
      '/api/v1/users/:id',
      {
        config: { scope: 'admin', etag: true },
        schema: {
          operationId: 'updateUser',
          summary: 'Update a user',
          description: `Changes the given fields. The last owner cannot be demoted (409). Honours \`If-Match\` (412).${shared}`,
          tags,
          params: UserIdParams,
          body: UserUpdate,
          response: { 200: User },
        },
      },
      async (req) => users.update(req.principal, req.params.id, req.body, { ifMatch: ifMatchOf(req) }),
    )

    app.delete(
      '/api/v1/users/:id',
      {
        config: { scope: 'admin' },
        schema: {
          operationId: 'deleteUser',
          summary: 'Remove a user',
          description: `Removes the user; deals and tasks they owned go to \`reassign_to\` when given, else keep existing with the owner cleared. Their event types, availability and past bookings go with them (the guests' contacts and meeting activities stay). The last owner cannot be removed, nor a host of upcoming confirmed bookings until those are cancelled (409).${shared}`,
          tags,
          params: UserIdParams,
          querystring: UserDeleteQuery,
          response: { 200: Deleted(Type.Literal('user')) },
        },
      },
      async (req) => {
        const user = await users.remove(req.principal, req.params.id, {
          ifMatch: ifMatchOf(req),
          reassignTo: req.query.reassign_to,
        })
        return { id: user.id, object: 'user' as const, deleted: true as const }
      },
    )
  }
}
