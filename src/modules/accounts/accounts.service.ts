import { sql } from 'kysely'
import type { Config } from '../../config.js'
import type { Db, Executor } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { ApiError } from '../../http/errors.js'
import { type ListResult, type PageParams, paginate } from '../../http/pagination.js'
import type { Clock } from '../../lib/clock.js'
import { randomBase62, sha256Hex } from '../../lib/crypto.js'
import { newId } from '../../lib/ids.js'
import type { RateLimiter } from '../../ratelimit/limiter.js'
import type { Principal } from '../api-keys/principal.js'
import { NEWEST_FIRST } from '../leads/schema-parts.js'
import { createOrganization } from '../orgs/orgs.service.js'
import type { Invite, InviteAccept, InviteCreate, LoginInput, SessionView, SetupInput } from './accounts.schemas.js'
import { hashPassword, verifyPassword } from './passwords.js'
import type { OpenedSession, SessionContext, Sessions } from './sessions.js'

/** Any constant: serializes first-run setups so that two browsers cannot both create "the first" organization. */
const SETUP_LOCK = 7_461_001
const LOGIN_WINDOW_MS = 15 * 60_000

export interface ClientMeta {
  ip: string | null
  userAgent: string | null
}

export function toSessionView(ctx: SessionContext): SessionView {
  return {
    object: 'session',
    user: ctx.user,
    organization: ctx.org,
    csrf_token: ctx.csrfToken,
    expires_at: ctx.expiresAt.toISOString(),
  }
}

type InviteRow = {
  id: string
  email: string
  role: 'admin' | 'member'
  invited_by: string | null
  created_at: Date
  expires_at: Date
  accepted_at: Date | null
  revoked_at: Date | null
}

const INVITE_COLUMNS = [
  'id',
  'email',
  'role',
  'invited_by',
  'created_at',
  'expires_at',
  'accepted_at',
  'revoked_at',
] as const

/**
 * Dashboard accounts: first-run setup, sign-in and sign-out, and invitations. A dashboard user is
 * a row of `users` with a password; the session it gets acts through the same /api/v1 routes as an
 * API key, with the scopes its role allows.
 */
export class AccountsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly sessions: Sessions,
    private readonly limiter: RateLimiter,
    private readonly config: Config['accounts'],
  ) {}

  async setupState() {
    const any = await this.db.selectFrom('organizations').select('id').limit(1).executeTakeFirst()
    return { setup_required: !any, signup_enabled: this.config.signupEnabled }
  }

  /** Creates an organization (teams plan: a self-hosted installation has every feature) and its owner, signed in. */
  async setup(input: SetupInput, meta: ClientMeta): Promise<OpenedSession> {
    const passwordHash = await hashPassword(input.password)
    return inTransaction(this.db, async (tx) => {
      await sql`select pg_advisory_xact_lock(${SETUP_LOCK})`.execute(tx)
      const any = await tx.selectFrom('organizations').select('id').limit(1).executeTakeFirst()
      if (any && !this.config.signupEnabled) {
        throw new ApiError(
          'setup_complete',
          'This installation is already set up: sign in, or ask an owner of your organization for an invite',
        )
      }
      await assertEmailFree(tx, input.email)
      const org = await createOrganization(tx, { name: input.organization_name.trim(), plan: 'teams' })
      const user = await insertAccount(tx, {
        orgId: org.id,
        name: input.name.trim(),
        email: input.email,
        role: 'owner',
        passwordHash,
      })
      return this.sessions.open(tx, user, { id: org.id, name: org.name, plan: org.plan }, meta)
    })
  }

  /**
   * Signs in. Attempts are limited per account and per client address (whatever their outcome),
   * and every failure says the same thing in the same time, so the answer never tells whether an
   * email has an account.
   */
  async login(input: LoginInput, meta: ClientMeta): Promise<OpenedSession> {
    const email = input.email.trim().toLowerCase()
    for (const [key, limit] of [
      [`login:account:${sha256Hex(email)}`, this.config.loginLimits.account],
      [`login:ip:${meta.ip ?? 'unknown'}`, this.config.loginLimits.ip],
    ] as const) {
      const result = await this.limiter.hit(key, limit, LOGIN_WINDOW_MS)
      if (!result.allowed) {
        throw new ApiError('rate_limited', `Too many sign-in attempts; retry in ${result.retryAfterSec} s`, {
          retryAfterSec: result.retryAfterSec,
        })
      }
    }
    const row = await this.db
      .selectFrom('users as u')
      .innerJoin('organizations as o', 'o.id', 'u.org_id')
      .select([
        'u.id',
        'u.name',
        'u.email',
        'u.role',
        'u.password_hash',
        'o.id as org_id',
        'o.name as org_name',
        'o.plan',
      ])
      .where(sql<boolean>`lower(u.email) = ${email}`)
      .where('u.password_hash', 'is not', null)
      .executeTakeFirst()
    const ok = await verifyPassword(row?.password_hash, input.password)
    if (!row || !ok) throw new ApiError('invalid_credentials', 'The email or the password is incorrect')
    return this.sessions.open(
      this.db,
      { id: row.id, name: row.name, email: row.email, role: row.role },
      { id: row.org_id, name: row.org_name, plan: row.plan },
      meta,
    )
  }

  logout(session: SessionContext): Promise<void> {
    return this.sessions.close(session.sessionId)
  }

  async createInvite(principal: Principal, input: InviteCreate, baseUrl: string): Promise<Invite> {
    assertLive(principal)
    const token = randomBase62(192)
    const now = this.clock.nowMs()
    const row = await inTransaction(this.db, async (tx) => {
      const member = await tx
        .selectFrom('users')
        .select('id')
        .where('org_id', '=', principal.orgId)
        .where(sql<boolean>`lower(email) = lower(${input.email})`)
        .where('password_hash', 'is not', null)
        .executeTakeFirst()
      if (member) {
        throw new ApiError('already_exists', `${input.email} is already a member of the organization`, {
          details: [{ field: 'email', message: 'Already signs in to this organization' }],
        })
      }
      return tx
        .insertInto('invites')
        .values({
          id: newId('invite'),
          org_id: principal.orgId,
          email: input.email,
          role: input.role,
          token_hash: sha256Hex(token),
          invited_by: principal.userId ?? null,
          created_at: new Date(now),
          expires_at: new Date(now + this.config.inviteTtlHours * 3_600_000),
        })
        .returning(INVITE_COLUMNS)
        .executeTakeFirstOrThrow()
    })
    return {
      ...this.toInvite(row),
      accept_url: `${baseUrl}/app/invite#token=${token}`,
      token,
    }
  }

  async listInvites(
    principal: Principal,
    query: { status?: Invite['status'] } & PageParams,
  ): Promise<ListResult<Invite>> {
    const now = new Date(this.clock.nowMs())
    let q = this.db.selectFrom('invites').where('org_id', '=', principal.orgId)
    if (query.status === 'pending') {
      q = q.where('accepted_at', 'is', null).where('revoked_at', 'is', null).where('expires_at', '>', now)
    } else if (query.status === 'accepted') {
      q = q.where('accepted_at', 'is not', null)
    } else if (query.status === 'revoked') {
      q = q.where('revoked_at', 'is not', null)
    } else if (query.status === 'expired') {
      q = q.where('accepted_at', 'is', null).where('revoked_at', 'is', null).where('expires_at', '<=', now)
    }
    const page = await paginate(
      q,
      (qb) => qb.select(INVITE_COLUMNS),
      sql<string>`id`,
      { ...NEWEST_FIRST, expression: sql`created_at` },
      query,
    )
    return { ...page, data: page.data.map((r) => this.toInvite(r)) }
  }

  /** Revokes a pending invite: its link stops working at once. */
  async revokeInvite(principal: Principal, id: string): Promise<void> {
    assertLive(principal)
    const row = await this.db
      .updateTable('invites')
      .set({ revoked_at: new Date(this.clock.nowMs()) })
      .where('org_id', '=', principal.orgId)
      .where('id', '=', id)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .returning('id')
      .executeTakeFirst()
    if (!row) throw new ApiError('not_found', `Pending invite ${id} not found`)
  }

  async previewInvite(token: string) {
    const row = await this.findUsableInvite(this.db, token)
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
   * the invite row is locked and marked in the same transaction.
   */
  async acceptInvite(input: InviteAccept, meta: ClientMeta): Promise<OpenedSession> {
    const passwordHash = await hashPassword(input.password)
    return inTransaction(this.db, async (tx) => {
      const invite = await this.findUsableInvite(tx, input.token, true)
      await assertEmailFree(tx, invite.email)
      const existing = await tx
        .selectFrom('users')
        .select(['id', 'name', 'email', 'role'])
        .where('org_id', '=', invite.org_id)
        .where(sql<boolean>`lower(email) = lower(${invite.email})`)
        .forUpdate()
        .executeTakeFirst()
      const user = existing
        ? await tx
            .updateTable('users')
            .set({
              name: input.name.trim(),
              password_hash: passwordHash,
              role: existing.role === 'owner' ? 'owner' : invite.role,
              updated_at: new Date(this.clock.nowMs()),
            })
            .where('id', '=', existing.id)
            .returning(['id', 'name', 'email', 'role'])
            .executeTakeFirstOrThrow()
        : await insertAccount(tx, {
            orgId: invite.org_id,
            name: input.name.trim(),
            email: invite.email,
            role: invite.role,
            passwordHash,
          })
      await tx
        .updateTable('invites')
        .set({ accepted_at: new Date(this.clock.nowMs()), accepted_user_id: user.id })
        .where('id', '=', invite.id)
        .execute()
      return this.sessions.open(tx, user, { id: invite.org_id, name: invite.org_name, plan: invite.plan }, meta)
    })
  }

  private async findUsableInvite(executor: Executor, token: string, forUpdate = false) {
    let q = executor
      .selectFrom('invites as i')
      .innerJoin('organizations as o', 'o.id', 'i.org_id')
      .select(['i.id', 'i.org_id', 'i.email', 'i.role', 'i.expires_at', 'o.name as org_name', 'o.plan'])
      .where('i.token_hash', '=', sha256Hex(token))
      .where('i.accepted_at', 'is', null)
      .where('i.revoked_at', 'is', null)
      .where('i.expires_at', '>', new Date(this.clock.nowMs()))
    if (forUpdate) q = q.forUpdate()
    const row = await q.executeTakeFirst()
    if (!row) {
      throw new ApiError(
        'not_found',
        'This invite link is not valid: it was used, revoked or has expired. Ask for a new one',
      )
    }
    return row
  }

  private toInvite(row: InviteRow): Invite {
    const now = this.clock.nowMs()
    const status = row.accepted_at
      ? 'accepted'
      : row.revoked_at
        ? 'revoked'
        : row.expires_at.getTime() <= now
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
}

/** Invites let real people in: test keys and test-mode sessions cannot make or revoke them. */
function assertLive(principal: Principal) {
  if (!principal.livemode) {
    throw new ApiError('insufficient_scope', 'Invites let real people in: make them in live mode')
  }
}

/** One email signs in to one organization, so a sign-in never has to ask which. */
async function assertEmailFree(executor: Executor, email: string) {
  const taken = await executor
    .selectFrom('users')
    .select('id')
    .where(sql<boolean>`lower(email) = lower(${email})`)
    .where('password_hash', 'is not', null)
    .executeTakeFirst()
  if (taken) throw emailHasAccount()
}

/** The 409 for an email that already signs in (to any organization of the installation). */
export function emailHasAccount(): ApiError {
  return new ApiError('already_exists', 'This email already signs in to an organization on this installation', {
    details: [{ field: 'email', message: 'Already has an account' }],
  })
}

/** A user (who can sign in once it has a password), with a username derived from the email (booking pages use it). */
export async function insertAccount(
  tx: Executor,
  a: { orgId: string; name: string; email: string; role: 'owner' | 'admin' | 'member'; passwordHash: string | null },
) {
  const base =
    (a.email.split('@')[0] ?? '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 30) || 'user'
  let username = base.length >= 2 ? base : `${base}-user`
  const taken = await tx
    .selectFrom('users')
    .select('id')
    .where(sql<boolean>`lower(username) = ${username}`)
    .executeTakeFirst()
  if (taken) username = `${username}-${randomBase62(30).toLowerCase().slice(0, 5)}`
  return tx
    .insertInto('users')
    .values({
      id: newId('user'),
      org_id: a.orgId,
      name: a.name,
      email: a.email,
      username,
      role: a.role,
      password_hash: a.passwordHash,
    })
    .returning(['id', 'name', 'email', 'role'])
    .executeTakeFirstOrThrow()
}
