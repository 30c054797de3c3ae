import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Db } from '../../db/schema.js'
import type { Clock } from '../../lib/clock.js'
import { type GeoIp, UNKNOWN_LOCATION } from './geoip.js'
import type { LinkSigner } from './link-signer.js'
import { acceptFormPosts, sendPage } from './public-page.js'
import { findTrackedEmail, recordTracking } from './tracking.repo.js'
import type { UnsubscribeService } from './unsubscribe.service.js'
import { machineReason, parseUserAgent } from './user-agent.js'

/** A transparent 1×1 GIF. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')
const INVALID = {
  title: 'Link not valid',
  paragraphs: ['This link is not valid. Copy the whole link from the message.'],
}
const hidden = { schema: { hide: true } }

type TokenRequest = FastifyRequest<{ Params: { token: string }; Querystring: { u?: string } }>

/**
 * The links inside campaign messages: the open pixel (`/email/o/…`), click redirects
 * (`/email/c/…?u=`), unsubscribe (`/email/unsubscribe/…`: GET asks, POST unsubscribes at once, as
 * RFC 8058 one-click requires) and the preferences page. Every token is HMAC-signed; one that does
 * not verify is a 404, and a click redirect goes only to the URL its signature covers.
 */
export function publicLinksRoutes(
  db: Db,
  links: LinkSigner,
  unsubscribes: UnsubscribeService,
  clock: Clock,
  /** RAPPORT_GEOIP_DB: the country and region of opens and clicks, from the client address (`req.ip`, behind RAPPORT_TRUST_PROXY). */
  geoip?: GeoIp,
) {
  return async (app: FastifyInstance) => {
    acceptFormPosts(app)

    async function track(req: TokenRequest, type: 'open' | 'click', url: string | null) {
      const emailId = links.verify(type, req.params.token, url ?? '')
      const email = emailId ? await findTrackedEmail(db, emailId) : undefined
      if (!email) return false
      const ua = req.headers['user-agent']
      const sinceSentMs = email.sent_at ? clock.nowMs() - email.sent_at.getTime() : null
      await recordTracking(db, email, {
        type,
        url,
        userAgent: ua ?? null,
        client: parseUserAgent(ua),
        location: geoip?.locate(req.ip) ?? UNKNOWN_LOCATION,
        machineReason: machineReason(type, ua, sinceSentMs, req.method === 'HEAD'),
      }).catch((err) => req.log.error({ err, email_id: email.id }, 'could not record tracking'))
      return true
    }

    app.get('/email/o/:token', hidden, async (req: TokenRequest, reply) => {
      if (!(await track(req, 'open', null))) return reply.code(404).send()
      return reply.header('content-type', 'image/gif').header('cache-control', 'no-store, max-age=0').send(PIXEL)
    })

    app.get('/email/c/:token', hidden, async (req: TokenRequest, reply) => {
      const url = typeof req.query.u === 'string' ? req.query.u : ''
      // The destination is covered by the signature: a changed `u` never verifies, so never redirects.
      if (!/^https?:\/\//i.test(url) || !(await track(req, 'click', url))) return sendPage(reply, 404, INVALID)
      return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(url, 302)
    })

    const sendIdOf = (token: string) => links.verify('unsubscribe', token)

    app.get('/email/unsubscribe/:token', hidden, async (req: TokenRequest, reply) => {
      const sendId = sendIdOf(req.params.token)
      if (!sendId) return sendPage(reply, 404, INVALID)
      return sendPage(reply, 200, {
        title: 'Unsubscribe',
        paragraphs: ['Press the button to stop receiving these emails.'],
        form: { action: `/email/unsubscribe/${encodeURIComponent(req.params.token)}`, button: 'Unsubscribe' },
      })
    })

    app.post('/email/unsubscribe/:token', hidden, async (req: TokenRequest, reply: FastifyReply) => {
      const sendId = sendIdOf(req.params.token)
      if (!sendId) return sendPage(reply, 404, INVALID)
      if (sendId.startsWith('test~')) {
        return sendPage(reply, 200, {
          title: 'Test message',
          paragraphs: ['This was a test message: nobody was unsubscribed.'],
        })
      }
      const isOneClick = (req.body as Record<string, string> | undefined)?.['List-Unsubscribe'] === 'One-Click'
      const outcome = await unsubscribes.unsubscribe(sendId, isOneClick ? 'one-click unsubscribe' : 'unsubscribe page')
      if (outcome.kind === 'unknown') return sendPage(reply, 404, INVALID)
      return sendPage(reply, 200, {
        title: 'You are unsubscribed',
        paragraphs: [`${outcome.email} will receive no more of these emails.`],
      })
    })

    app.get('/email/preferences/:token', hidden, async (req: TokenRequest, reply) => {
      const sendId = sendIdOf(req.params.token)
      const prefs = sendId ? await unsubscribes.preferences(sendId) : undefined
      if (!prefs) return sendPage(reply, 404, INVALID)
      return sendPage(reply, 200, preferencesPage(req.params.token, prefs))
    })

    app.post('/email/preferences/:token', hidden, async (req: TokenRequest, reply) => {
      const sendId = sendIdOf(req.params.token)
      if (!sendId) return sendPage(reply, 404, INVALID)
      const body = (req.body ?? {}) as Record<string, string>
      const keep = Object.keys(body)
        .filter((k) => k.startsWith('list_'))
        .map((k) => k.slice(5))
      const prefs = await unsubscribes.savePreferences(sendId, keep, body.all === '1')
      if (!prefs) return sendPage(reply, 404, INVALID)
      return sendPage(reply, 200, { ...preferencesPage(req.params.token, prefs), title: 'Preferences saved' })
    })
  }
}

function preferencesPage(
  token: string,
  prefs: { email: string; status: string; lists: { id: string; name: string; status: string }[] },
) {
  return {
    title: 'Email preferences',
    paragraphs: [
      `For ${prefs.email}.`,
      prefs.status === 'subscribed'
        ? 'Untick a list to leave it, or tick the last box to receive no marketing email at all.'
        : 'You receive no marketing email.',
    ],
    form: {
      action: `/email/preferences/${encodeURIComponent(token)}`,
      button: 'Save',
      checkboxes: [
        ...prefs.lists.map((l) => ({
          name: `list_${l.id}`,
          value: '1',
          label: l.name,
          checked: l.status !== 'unsubscribed',
        })),
        {
          name: 'all',
          value: '1',
          label: 'Unsubscribe from all marketing email',
          checked: prefs.status !== 'subscribed',
        },
      ],
    },
  }
}
