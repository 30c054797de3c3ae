import { ApiError } from '../../core/errors.js'
import type { Db, Executor } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import type { Clock } from '../../lib/clock.js'
import { randomBase62, sha256Hex } from '../../lib/crypto.js'
import type { PublicUrl } from '../../lib/public-url.js'
import { orgExists } from '../orgs/orgs.repo.js'
import { emailHasAccount, insertAccount } from './accounts.repo.js'
import { hashPassword } from './passwords.js'
import type { ClientMeta, OpenedSession, Sessions } from './sessions.js'
import {
  findAccountByEmail,
  findUsableLink,
  findUserInOrg,
  insertLink,
  type LinkPurpose,
  type LinkUser,
  markLinkUsed,
  setPassword,
  updateRole,
} from './sign-in-links.repo.js'
import type { SignInLink, SignInLinkPreview, SignInLinkRedeem, UserInvite } from './sign-in-links.schemas.js'

/** A reset link is a password in transit: it works for one hour. */
export const RESET_LINK_TTL_MS = 60 * 60_000

/** The dashboard page that opens a link: it asks for a password and signs in. */
export const SIGN_IN_LINK_PATH = '/app/sign-in-link'

/**
 * Single-use links that let one user set a password and sign in: the owner of an organization an
 * operator creates, a user an operator invites from the command line, and password resets. The
 * token is shown once (inside the link) and stored as its SHA-256; making a new link for a user
 * ends the previous one, and using a link signs the user out of every other session.
 */
export class SignInLinks {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly publicUrl: PublicUrl,
    private readonly activateTtlHours: number,
  ) {}

  /** The owner named when an organization is created, in the caller's transaction. */
  async addOwner(tx: Executor, orgId: string, owner: { email: string; name: string }): Promise<SignInLink> {
    await assertNoAccount(tx, owner.email)
    const user = await insertAccount(tx, {
      orgId,
      name: owner.name.trim(),
      email: owner.email,
      role: 'owner',
      passwordHash: null,
    })
    return this.issue(tx, { ...user, org_id: orgId, has_password: false }, 'activate')
  }

  /**
   * An operator's invite: the user (created when the organization has no one with this email) gets
   * the role and a link to set a password. Someone who already signs in gets a 409 that points to
   * a reset instead.
   */
  async invite(input: UserInvite): Promise<SignInLink> {
    return inTransaction(this.db, async (tx) => {
      if (!(await orgExists(tx, input.org))) throw new ApiError('not_found', `Organization ${input.org} not found`)
      const existing = await findUserInOrg(tx, input.org, input.email)
      if (existing?.has_password) {
        throw new ApiError('already_exists', `${input.email} already signs in: use "rapport user reset-password"`, {
          details: [{ field: 'email', message: 'Already has an account' }],
        })
      }
      await assertNoAccount(tx, input.email)
      const role = input.role ?? 'member'
      if (existing) {
        await updateRole(tx, existing.id, role, this.now())
        return this.issue(tx, { ...existing, role }, 'activate')
      }
      const name = input.name?.trim() || input.email.split('@')[0] || input.email
      const user = await insertAccount(tx, { orgId: input.org, name, email: input.email, role, passwordHash: null })
      return this.issue(tx, { ...user, org_id: input.org, has_password: false }, 'activate')
    })
  }

  /** A reset link for the user who signs in with this email. */
  async resetPassword(email: string): Promise<SignInLink> {
    return inTransaction(this.db, async (tx) => {
      const user = await findAccountByEmail(tx, email)
      if (!user) {
        throw new ApiError('not_found', `No user signs in with ${email}`, {
          details: [{ field: 'email', message: 'No account has this email' }],
        })
      }
      return this.issue(tx, user, 'reset_password')
    })
  }

  /**
   * A reset link for the user who signs in with this email, made in the caller's transaction (so the
   * message that carries it commits with it); null when no one does. Ends the user's previous link.
   */
  async resetLinkIn(tx: Executor, email: string, mayIssue: (orgId: string) => Promise<boolean>) {
    const user = await findAccountByEmail(tx, email)
    if (!user || !(await mayIssue(user.org_id))) return null
    return this.issue(tx, user, 'reset_password')
  }

  async preview(token: string): Promise<SignInLinkPreview> {
    const link = await this.findUsable(this.db, token)
    return {
      object: 'sign_in_link_preview',
      purpose: link.purpose,
      email: link.email,
      name: link.name,
      organization: { name: link.org_name },
      expires_at: link.expires_at.toISOString(),
    }
  }

  /** Sets the password, uses up the link and opens a session, in one transaction. */
  async redeem(input: SignInLinkRedeem, meta: ClientMeta, sessions: Sessions): Promise<OpenedSession> {
    const passwordHash = await hashPassword(input.password)
    return inTransaction(this.db, async (tx) => {
      const link = await this.findUsable(tx, input.token, true)
      if (!link.has_password) await assertNoAccount(tx, link.email)
      const now = this.now()
      const name = input.name?.trim() || undefined
      await setPassword(tx, link.id, { passwordHash, name, now })
      await markLinkUsed(tx, link.link_id, now)
      return sessions.open(
        tx,
        { id: link.id, name: name ?? link.name, email: link.email, role: link.role },
        { id: link.org_id, name: link.org_name, plan: link.plan },
        meta,
      )
    })
  }

  private async issue(tx: Executor, user: LinkUser, purpose: LinkPurpose): Promise<SignInLink> {
    const token = randomBase62(192)
    const now = this.now()
    const ttlMs = purpose === 'reset_password' ? RESET_LINK_TTL_MS : this.activateTtlHours * 3_600_000
    const expiresAt = new Date(now.getTime() + ttlMs)
    await insertLink(tx, { orgId: user.org_id, userId: user.id, purpose, tokenHash: sha256Hex(token), now, expiresAt })
    return {
      object: 'sign_in_link',
      purpose,
      url: this.publicUrl.link(SIGN_IN_LINK_PATH, token),
      expires_at: expiresAt.toISOString(),
      user: { id: user.id, email: user.email, name: user.name, role: user.role, org_id: user.org_id },
    }
  }

  private async findUsable(executor: Executor, token: string, forUpdate = false) {
    const link = await findUsableLink(executor, sha256Hex(token), this.now(), forUpdate)
    if (!link) {
      throw new ApiError(
        'not_found',
        'This link is not valid: it was used, replaced by a newer one or has expired. Ask for a new one',
      )
    }
    return link
  }

  private now() {
    return new Date(this.clock.nowMs())
  }
}

/** One email signs in to one organization: a new account cannot take an email that already signs in. */
async function assertNoAccount(executor: Executor, email: string) {
  if (await findAccountByEmail(executor, email)) throw emailHasAccount()
}
