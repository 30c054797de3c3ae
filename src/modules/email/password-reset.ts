import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type, { type Static } from 'typebox'
import { ApiError } from '../../core/errors.js'
import type { Db } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { clientAddressKey } from '../../lib/client-address.js'
import { sha256Hex } from '../../lib/crypto.js'
import type { RateLimiter } from '../../ratelimit/limiter.js'
import type { SignInLinks } from '../accounts/sign-in-links.service.js'
import type { AccountEmails } from './account-emails.js'
import { findSettings } from './settings.repo.js'

/** Requests per client address, and reset emails per address asked for, in this window. */
const WINDOW_MS = 60 * 60_000
const PER_CLIENT = 10
const PER_EMAIL = 3

export const PasswordResetRequest = Type.Object(
  {
    email: Type.String({
      format: 'email',
      maxLength: 320,
      description: 'The email the person signs in with',
      examples: ['jane@acme.example'],
    }),
  },
  { additionalProperties: false, examples: [{ email: 'jane@acme.example' }] },
)
export type PasswordResetRequest = Static<typeof PasswordResetRequest>

export const PasswordResetAccepted = Type.Object(
  {
    object: Type.Literal('password_reset_request', { description: 'Always `password_reset_request`' }),
    status: Type.Literal('accepted', { description: 'Always `accepted`, whether or not the email signs in here' }),
  },
  { examples: [{ object: 'password_reset_request', status: 'accepted' }] },
)

/**
 * "Forgot your password?": emails a single-use reset link (the sign-in-link page, one hour) to the
 * person who signs in with the address. The answer is the same whether or not anyone does, so it
 * never tells who has an account; a client address gets PER_CLIENT requests an hour (then 429), and
 * an address gets at most PER_EMAIL messages an hour (more requests are accepted and send nothing).
 */
export class PasswordResets {
  constructor(
    private readonly db: Db,
    private readonly links: SignInLinks,
    private readonly emails: AccountEmails,
    private readonly limiter: RateLimiter,
  ) {}

  async request(input: PasswordResetRequest, ip: string | null): Promise<void> {
    const client = await this.limiter.hit(
      `reset:ip:${ip ? (clientAddressKey(ip) ?? ip) : 'unknown'}`,
      PER_CLIENT,
      WINDOW_MS,
    )
    if (!client.allowed) {
      throw new ApiError('rate_limited', `Too many reset requests; retry in ${client.retryAfterSec} s`, {
        retryAfterSec: client.retryAfterSec,
      })
    }
    const perEmail = await this.limiter.hit(
      `reset:email:${sha256Hex(input.email.trim().toLowerCase())}`,
      PER_EMAIL,
      WINDOW_MS,
    )
    if (!perEmail.allowed) return
    await inTransaction(this.db, async (tx) => {
      // An organization that turned reset emails off keeps its users' current links.
      const link = await this.links.resetLinkIn(
        tx,
        input.email,
        async (orgId) => (await findSettings(tx, orgId)).password_reset_emails,
      )
      if (!link) return
      await this.emails.passwordReset(tx, {
        orgId: link.user.org_id,
        to: { email: link.user.email, name: link.user.name },
        url: link.url,
        expiresAt: new Date(link.expires_at),
      })
    })
  }
}

export function passwordResetRoutes(resets: PasswordResets) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.post(
      '/api/v1/password-resets',
      {
        schema: {
          operationId: 'requestPasswordReset',
          summary: 'Ask for a password reset email',
          description:
            'Public. Emails a single-use link (valid one hour) to choose a new password, to the person who signs in with this email, unless their organization turned `password_reset_emails` off. Always 202 with the same body, whether or not the email has an account. Limited per client address (429 with `Retry-After`) and per email (further requests send nothing).',
          tags: ['accounts'],
          body: PasswordResetRequest,
          response: { 202: PasswordResetAccepted },
        },
      },
      async (req, reply) => {
        await resets.request(req.body, req.ip ?? null)
        return reply
          .code(202)
          .header('cache-control', 'no-store')
          .send({ object: 'password_reset_request', status: 'accepted' })
      },
    )
  }
}
