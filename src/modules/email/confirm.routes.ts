import type { FastifyInstance } from 'fastify'
import type { Db } from '../../db/schema.js'
import type { LinkSigner } from './link-signer.js'
import { confirmMember } from './lists.repo.js'
import { acceptFormPosts, sendPage } from './public-page.js'

const NOT_FOUND = {
  title: 'Link not valid',
  paragraphs: ['This link is not valid. Copy the whole link from the message.'],
}

/**
 * The double opt-in link of a confirmation message. GET shows a button and changes nothing (mail
 * scanners open links); the POST of that button confirms. A link whose signature does not verify is a 404.
 */
export function confirmRoutes(db: Db, links: LinkSigner) {
  return async (app: FastifyInstance) => {
    acceptFormPosts(app)
    const verify = (token: string) => {
      const subject = links.verify('confirm', token)
      const [listId, contactId] = subject?.split('~') ?? []
      return listId && contactId ? { listId, contactId } : undefined
    }

    app.get<{ Params: { token: string } }>('/email/confirm/:token', { schema: { hide: true } }, async (req, reply) => {
      if (!verify(req.params.token)) return sendPage(reply, 404, NOT_FOUND)
      return sendPage(reply, 200, {
        title: 'Confirm your subscription',
        paragraphs: ['Press the button to confirm that you want to receive these emails.'],
        form: { action: `/email/confirm/${encodeURIComponent(req.params.token)}`, button: 'Confirm my subscription' },
      })
    })

    app.post<{ Params: { token: string } }>('/email/confirm/:token', { schema: { hide: true } }, async (req, reply) => {
      const ids = verify(req.params.token)
      const result = ids && (await confirmMember(db, ids.listId, ids.contactId))
      if (!result) return sendPage(reply, 404, NOT_FOUND)
      return sendPage(reply, 200, {
        title: 'Subscription confirmed',
        paragraphs: [`You are subscribed to ${result.name}.`],
      })
    })
  }
}
