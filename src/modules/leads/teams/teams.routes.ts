import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { ifMatchOf } from '../../../core/preconditions.js'
import { Deleted } from '../../../core/schemas.js'
import { Team, TeamCreate, TeamIdParams, TeamList, TeamListQuery, TeamUpdate } from './teams.schemas.js'
import type { TeamsService } from './teams.service.js'

export function teamsRoutes(teams: TeamsService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['teams']

    app.get(
      '/api/v1/teams',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listTeams',
          summary: 'List teams',
          description: 'The teams of the organization, newest first; filter by name. Paged.',
          tags,
          querystring: TeamListQuery,
          response: { 200: TeamList },
        },
      },
      async (req) => teams.list(req.principal, req.query),
    )

    app.post(
      '/api/v1/teams',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'createTeam',
          summary: 'Create a team',
          description: 'Creates a team. Names are unique per organization and mode, case-insensitively (else 409).',
          tags,
          body: TeamCreate,
          response: { 201: Team },
        },
      },
      async (req, reply) => reply.code(201).send(await teams.create(req.principal, req.body)),
    )

    app.get(
      '/api/v1/teams/:id',
      {
        config: { scope: 'read', etag: true },
        schema: {
          operationId: 'getTeam',
          summary: 'Get a team',
          description: 'Answers with an `ETag`; send it back as `If-Match` on PATCH to avoid lost updates.',
          tags,
          params: TeamIdParams,
          response: { 200: Team },
        },
      },
      async (req) => teams.get(req.principal, req.params.id),
    )

    app.patch(
      '/api/v1/teams/:id',
      {
        config: { scope: 'write', etag: true },
        schema: {
          operationId: 'updateTeam',
          summary: 'Update a team',
          description:
            'Changes the given fields. With `If-Match`, applies only if the team still has that ETag (else 412 `precondition_failed`).',
          tags,
          params: TeamIdParams,
          body: TeamUpdate,
          response: { 200: Team },
        },
      },
      async (req) => teams.update(req.principal, req.params.id, req.body, { ifMatch: ifMatchOf(req) }),
    )

    app.delete(
      '/api/v1/teams/:id',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'deleteTeam',
          summary: 'Delete a team',
          description: 'Deletes the team and removes it from every form; its callbacks keep no team.',
          tags,
          params: TeamIdParams,
          response: { 200: Deleted(Type.Literal('team')) },
        },
      },
      async (req) => {
        await teams.remove(req.principal, req.params.id)
        return { id: req.params.id, object: 'team' as const, deleted: true as const }
      },
    )
  }
}
