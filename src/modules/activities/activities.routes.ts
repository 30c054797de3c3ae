import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { ifMatchOf } from '../../core/preconditions.js'
import { Deleted } from '../../core/schemas.js'
import {
  Activity,
  ActivityCreate,
  ActivityIdParams,
  ActivityList,
  ActivityListQuery,
  ActivityUpdate,
} from './activities.schemas.js'
import type { ActivitiesService } from './activities.service.js'

export function activitiesRoutes(activities: ActivitiesService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['activities']

    app.get(
      '/api/v1/activities',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listActivities',
          summary: 'List activities',
          description:
            'The activity log, newest first by `occurred_at`: filter by contact, deal, type and time range; paged. For one contact’s whole history (notes, deals and tasks too), use `GET /api/v1/contacts/{id}/timeline`.',
          tags,
          querystring: ActivityListQuery,
          response: { 200: ActivityList },
        },
      },
      async (req) => activities.list(req.principal, req.query),
    )

    app.post(
      '/api/v1/activities',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'createActivity',
          summary: 'Log an activity',
          description:
            'Logs a call, email, meeting, SMS, note or other interaction (at `occurred_at`, default now) and emits `activity.created`. `contact_id` and `deal_id` must name objects of your organization and mode, else 422 naming the field.',
          tags,
          body: ActivityCreate,
          response: { 201: Activity },
        },
      },
      async (req, reply) => reply.code(201).send(await activities.create(req.principal, req.body)),
    )

    app.get(
      '/api/v1/activities/:id',
      {
        config: { scope: 'read', etag: true },
        schema: {
          operationId: 'getActivity',
          summary: 'Get an activity',
          description: 'Answers with an `ETag`; send it back as `If-Match` on PATCH or DELETE to avoid lost updates.',
          tags,
          params: ActivityIdParams,
          response: { 200: Activity },
        },
      },
      async (req) => activities.get(req.principal, req.params.id),
    )

    app.patch(
      '/api/v1/activities/:id',
      {
        config: { scope: 'write', etag: true },
        schema: {
          operationId: 'updateActivity',
          summary: 'Update an activity',
          description:
            'Corrects the given fields and emits `activity.updated` with the changed fields (nothing when none changed). With `If-Match`, applies only if the activity still has that ETag (else 412 `precondition_failed`).',
          tags,
          params: ActivityIdParams,
          body: ActivityUpdate,
          response: { 200: Activity },
        },
      },
      async (req) => activities.update(req.principal, req.params.id, req.body, { ifMatch: ifMatchOf(req) }),
    )

    app.delete(
      '/api/v1/activities/:id',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'deleteActivity',
          summary: 'Delete an activity',
          description:
            'Removes the activity from the timeline and emits `activity.deleted` with it as it was. With `If-Match`, only if it still has that ETag.',
          tags,
          params: ActivityIdParams,
          response: { 200: Deleted(Type.Literal('activity')) },
        },
      },
      async (req) => {
        const deleted = await activities.remove(req.principal, req.params.id, { ifMatch: ifMatchOf(req) })
        return { id: deleted.id, object: 'activity' as const, deleted: true as const }
      },
    )
  }
}
