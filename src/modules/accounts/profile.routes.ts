import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Organization, OrganizationUpdate, Profile, ProfileUpdate } from './profile.schemas.js'
import type { ProfileService } from './profile.service.js'
import { NO_STORE } from './session-replies.js'

export function profileRoutes(profile: ProfileService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['accounts']

    app.patch(
      '/api/v1/me',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'updateMe',
          summary: 'Change my name or password',
          description:
            'The signed-in person’s own name, or password (with `current_password`; a wrong one is 422 on that field). A new password signs their other sessions out. Dashboard sessions only: an API key is 403.',
          tags,
          body: ProfileUpdate,
          response: { 200: Profile },
        },
      },
      async (req, reply) =>
        reply
          .header('cache-control', NO_STORE)
          .send(await profile.update(req.principal, req.session?.sessionId, req.body)),
    )

    app.patch(
      '/api/v1/organization',
      {
        config: { scope: 'admin' },
        schema: {
          operationId: 'updateOrganization',
          summary: 'Rename the organization',
          description: 'Owners and admins (or a key with the `admin` scope). Both modes see the new name at once.',
          tags,
          body: OrganizationUpdate,
          response: { 200: Organization },
        },
      },
      async (req) => profile.renameOrganization(req.principal, req.body),
    )
  }
}
