import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { Deleted } from '../../core/schemas.js'
import {
  ContactIdParams,
  EmailList,
  EmailListCreate,
  EmailListIdParams,
  EmailListList,
  EmailListListQuery,
  EmailListUpdate,
  EmailSubscription,
  EmailSubscriptionUpdate,
  ListMemberList,
  ListMembersChange,
  ListMembersQuery,
  ListMembersResult,
} from './lists.schemas.js'
import type { ListsService } from './lists.service.js'
import type { SubscriptionsService } from './subscriptions.service.js'

export function listsRoutes(lists: ListsService, subscriptions: SubscriptionsService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['email']

    app.post(
      '/api/v1/email-lists',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'createEmailList',
          summary: 'Create a list',
          description:
            'A list of contacts with static membership. With `double_opt_in`, new members start `pending` and are sent a confirmation message with a signed link.',
          tags,
          body: EmailListCreate,
          response: { 201: EmailList },
        },
      },
      async (req, reply) => reply.code(201).send(await lists.create(req.principal, req.body)),
    )

    app.get(
      '/api/v1/email-lists',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listEmailLists',
          summary: 'List lists',
          description: 'The organization’s lists with their member counts, newest first. Paged.',
          tags,
          querystring: EmailListListQuery,
          response: { 200: EmailListList },
        },
      },
      async (req) => lists.list(req.principal, req.query),
    )

    app.get(
      '/api/v1/email-lists/:id',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'getEmailList',
          summary: 'Get a list',
          description: 'One list with its member counts.',
          tags,
          params: EmailListIdParams,
          response: { 200: EmailList },
        },
      },
      async (req) => lists.get(req.principal, req.params.id),
    )

    app.patch(
      '/api/v1/email-lists/:id',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'updateEmailList',
          summary: 'Update a list',
          description:
            'Renames it, changes its description, or turns double opt-in on or off for members added from now on.',
          tags,
          params: EmailListIdParams,
          body: EmailListUpdate,
          response: { 200: EmailList },
        },
      },
      async (req) => lists.update(req.principal, req.params.id, req.body),
    )

    app.delete(
      '/api/v1/email-lists/:id',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'deleteEmailList',
          summary: 'Delete a list',
          description: 'Deletes the list and its memberships (the contacts stay).',
          tags,
          params: EmailListIdParams,
          response: { 200: Deleted(Type.Literal('email_list')) },
        },
      },
      async (req) => {
        await lists.remove(req.principal, req.params.id)
        return { id: req.params.id, object: 'email_list' as const, deleted: true as const }
      },
    )

    app.get(
      '/api/v1/email-lists/:id/members',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listEmailListMembers',
          summary: 'List members of a list',
          description: 'The list’s members, newest first, optionally by `status`. Paged.',
          tags,
          params: EmailListIdParams,
          querystring: ListMembersQuery,
          response: { 200: ListMemberList },
        },
      },
      async (req) => lists.members(req.principal, req.params.id, req.query),
    )

    app.post(
      '/api/v1/email-lists/:id/members',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'addEmailListMembers',
          summary: 'Add contacts to a list',
          description:
            'Adds up to 1000 contacts. Already members: unchanged. Members who had left are added back. On a double opt-in list they start `pending` and each is sent a confirmation message. An unknown contact is a 422 naming it, and nothing is added.',
          tags,
          params: EmailListIdParams,
          body: ListMembersChange,
          response: { 200: ListMembersResult },
        },
      },
      async (req) => lists.addMembers(req.principal, req.params.id, req.body),
    )

    app.post(
      '/api/v1/email-lists/:id/members/remove',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'removeEmailListMembers',
          summary: 'Remove contacts from a list',
          description:
            'Removes up to 1000 contacts from the list (their membership is deleted, unlike an unsubscribe which is kept). Ids that are not members are counted as unchanged.',
          tags,
          params: EmailListIdParams,
          body: ListMembersChange,
          response: { 200: ListMembersResult },
        },
      },
      async (req) => lists.removeMembers(req.principal, req.params.id, req.body),
    )

    app.get(
      '/api/v1/contacts/:id/email-subscription',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'getEmailSubscription',
          summary: 'Get a contact’s email subscription',
          description: 'Whether the contact receives marketing email, and the lists it is on.',
          tags,
          params: ContactIdParams,
          response: { 200: EmailSubscription },
        },
      },
      async (req) => subscriptions.get(req.principal, req.params.id),
    )

    app.put(
      '/api/v1/contacts/:id/email-subscription',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'setEmailSubscription',
          summary: 'Set a contact’s email subscription',
          description:
            'Unsubscribes the contact from all marketing email, or subscribes it again (this also clears `bounced` or `complained`). Lists memberships are not changed.',
          tags,
          params: ContactIdParams,
          body: EmailSubscriptionUpdate,
          response: { 200: EmailSubscription },
        },
      },
      async (req) => subscriptions.update(req.principal, req.params.id, req.body),
    )
  }
}
