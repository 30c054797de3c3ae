import type { Config } from '../../config.js'
import { ApiError, invalidField } from '../../core/errors.js'
import type { ListResult, PageParams } from '../../core/pagination.js'
import { actingUserId, type Principal, type Role } from '../../core/tenancy.js'
import type { Db, Executor } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import type { Clock } from '../../lib/clock.js'
import { randomBase62, sha256Hex } from '../../lib/crypto.js'
import { newId } from '../../lib/ids.js'
import type { AccountEmails } from '../email/account-emails.js'
import { type Authority, assertAuthorityOver, authorityOf, holdsAuthorityOver, OPERATOR } from '../users/authority.js'
import { findRole } from '../users/users.repo.js'
import { assertEmailFree, insertAccount } from './accounts.repo.js'
import type { Invite, InviteAccept, InviteCreate, InviteListQuery } from './accounts.schemas.js'
import {
  activateUser,
  findOpenInvite,
  findOrgUserByEmail,
  findUsableInvite,
  type InviteCreator,
  type InviteRow,
  insertInvite,
  listInvites,
  markAccepted,
  markRevoked,
} from './invites.repo.js'
import { hashPassword } from './passwords.js'
import type { ClientMeta, OpenedSession, SessionContext, Sessions } from './sessions.js'

/**
 * Invitations. An invite never grants more than its creator holds: its role (and the role of the
 * listed user it activates) must be within the authority of whoever made it, checked when it is made
 * and again when it is accepted (a creator demoted or removed since then cannot give what they no
 * longer hold). The link is for the invitee: a signed-in user of the organization, its creator
 * included, cannot accept it.
 */
export class InvitesService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly sessions: Sessions,
    private readonly config: Config['accounts'],
    /** Emails the link to the invitee (unless the organization turned invite emails off). */
    private readonly emails?: AccountEmails,
  ) {}

  /** Makes an invite; the answer carries the link to send (`accept_url`), once. */
  async create(principal: Principal, input: InviteCreate, baseUrl: string): Promise<Invite> {
    assertLive(principal)
    const token = randomBase62(192)
    const now = this.clock.nowMs()
    const row = await inTransaction(this.db, async (tx) => {
      const authority = await authorityOf(tx, principal)
      assertAuthorityOver(authority, input.role)
      const listed = await findOrgUserByEmail(tx, principal.orgId, input.email)
      if (listed?.has_password) {
        throw new ApiError('already_exists', `${input.email} is already a member of the organization`, {
          details: [{ field: 'email', message: 'Already signs in to this organization' }],
        })
      }
      if (listed) assertMayActivate(authority, listed.role, input.role)
      const invite = await insertInvite(tx, {
        id: newId('invite'),
        org_id: principal.orgId,
        email: input.email,
        role: input.role,
        token_hash: sha256Hex(token),
        invited_by: actingUserId(principal) ?? null,
        ...creatorOf(authority),
        created_at: new Date(now),
        expires_at: new Date(now + this.config.inviteTtlHours * 3_600_000),
      })
      const acceptUrl = `${baseUrl}/app/invite#token=${token}`
      await this.emails?.invite(tx, {
        orgId: principal.orgId,
        to: input.email,
        role: input.role,
        acceptUrl,
        expiresAt: invite.expires_at,
      })
      return invite
    })
    return { ...toInvite(row, now), accept_url: `${baseUrl}/app/invite#token=${token}` }
  }

  /** The organization's invites, newest first: the pending ones unless `status` says otherwise. */
  async list(principal: Principal, query: InviteListQuery & PageParams): Promise<ListResult<Invite>> {
    const now = this.clock.nowMs()
    const page = await listInvites(this.db, principal.orgId, query.status ?? 'pending', new Date(now), query)
    return { ...page, data: page.data.map((r) => toInvite(r, now)) }
  }

  /** Revokes a pending invite: its link stops working at once. Only within the caller's authority. */
  async revoke(principal: Principal, id: string): Promise<void> {
    assertLive(principal)
    await inTransaction(this.db, async (tx) => {
      const invite = await findOpenInvite(tx, principal.orgId, id)
      if (!invite) throw new ApiError('not_found', `Pending invite ${id} not found`)
      assertAuthorityOver(await authorityOf(tx, principal), invite.role)
      await markRevoked(tx, id, new Date(this.clock.nowMs()))
    })
  }

  async preview(token: string) {
    const row = await this.findUsable(this.db, token)
    return {
      email: row.email,
      role: row.role,
      organization: { name: row.org_name },
      expires_at: row.expires_at.toISOString(),
    }
  }

  /**
   * Accepts an invite: the invitee becomes a user who can sign in (or, when the organization already
   * lists them as a user without a password, that user gets one and the invited role). Single use:
   * the invite row is locked and marked in the same transaction. `signedIn`: the session the request
   * carries, if any: a user of the organization (the inviter above all) cannot accept it.
   */
  async accept(input: InviteAccept, meta: ClientMeta, signedIn: SessionContext | undefined): Promise<OpenedSession> {
    const passwordHash = await hashPassword(input.password)
    return inTransaction(this.db, async (tx) => {
      const invite = await this.findUsable(tx, input.token, true)
      if (signedIn && signedIn.org.id === invite.org_id) {
        throw new ApiError(
          'insufficient_scope',
          'You are signed in to this organization: an invite is for the person invited. Sign out, or open the link in a private window',
        )
      }
      await assertEmailFree(tx, invite.email)
      const authority = await creatorAuthority(tx, invite)
      const listed = await findOrgUserByEmail(tx, invite.org_id, invite.email, true)
      if (!holdsAuthorityOver(authority, invite.role) || (listed && !holdsAuthorityOver(authority, listed.role))) {
        throw new ApiError(
          'insufficient_scope',
          'The person who invited you cannot give this role (or no longer can): ask an owner for a new invite',
        )
      }
      if (listed?.role === 'owner' && invite.role !== 'owner') {
        throw new ApiError('conflict', 'You are an owner of this organization: ask an owner for an owner’s invite')
      }
      const now = new Date(this.clock.nowMs())
      const name = input.name.trim()
      const user = listed
        ? await activateUser(tx, listed.id, { name, passwordHash, role: invite.role, at: now })
        : await insertAccount(tx, { orgId: invite.org_id, name, email: invite.email, role: invite.role, passwordHash })
      await markAccepted(tx, invite.id, user.id, now)
      return this.sessions.open(tx, user, { id: invite.org_id, name: invite.org_name, plan: invite.plan }, meta)
    })
  }

  private async findUsable(executor: Executor, token: string, forUpdate = false) {
    const row = await findUsableInvite(executor, sha256Hex(token), new Date(this.clock.nowMs()), forUpdate)
    if (!row) {
      throw new ApiError(
        'not_found',
        'This invite link is not valid: it was used, revoked or has expired. Ask for a new one',
      )
    }
    return row
  }
}

/** What an invite records of its creator's authority. */
function creatorOf(authority: Authority): InviteCreator {
  return authority.operator
    ? { created_by_user_id: null, created_by_operator: true }
    : { created_by_user_id: authority.userId, created_by_operator: false }
}

/** The authority an invite carries today: its creator's role now, or an operator's. */
async function creatorAuthority(executor: Executor, invite: InviteCreator & { org_id: string }): Promise<Authority> {
  if (invite.created_by_operator) return OPERATOR
  const userId = invite.created_by_user_id
  if (userId === null) return { operator: false, userId: '', role: undefined, viaKey: false }
  return { operator: false, userId, role: await findRole(executor, invite.org_id, userId), viaKey: false }
}

/**
 * Accepting an invite for a listed user gives that user the invited role: a change of their role,
 * so it needs authority over the role they have too. A listed owner is invited as an owner only
 * (anything else would demote an owner through a link).
 */
function assertMayActivate(authority: Authority, current: Role, invited: Role) {
  assertAuthorityOver(authority, current)
  if (current === 'owner' && invited !== 'owner') {
    throw invalidField('role', 'This person is an owner of the organization: invite them as owner')
  }
}

function toInvite(row: InviteRow, nowMs: number): Invite {
  const status = row.accepted_at
    ? 'accepted'
    : row.revoked_at
      ? 'revoked'
      : row.expires_at.getTime() <= nowMs
        ? 'expired'
        : 'pending'
  return {
    id: row.id,
    object: 'invite',
    email: row.email,
    role: row.role,
    status,
    invited_by: row.invited_by,
    created_at: row.created_at.toISOString(),
    expires_at: row.expires_at.toISOString(),
  }
}

/** Invites let real people in: test keys and test-mode sessions cannot make or revoke them. */
function assertLive(principal: Principal) {
  if (!principal.livemode) {
    throw new ApiError('insufficient_scope', 'Invites let real people in: make them in live mode')
  }
}
