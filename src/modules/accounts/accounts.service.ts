import type { Config } from '../../config.js'
import { ApiError } from '../../core/errors.js'
import type { Db } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import type { Clock } from '../../lib/clock.js'
import type { RateLimiter } from '../../ratelimit/limiter.js'
import type { AccountEmails } from '../email/account-emails.js'
import { anyOrgExists } from '../orgs/orgs.repo.js'
import { createOrganization } from '../orgs/orgs.service.js'
import { assertEmailFree, findLoginAccount, insertAccount, lockSetup } from './accounts.repo.js'
import type { LoginInput, SetupInput } from './accounts.schemas.js'
import { InvitesService } from './invites.service.js'
import { hashPassword, verifyPassword } from './passwords.js'
import type { ClientMeta, OpenedSession, SessionContext, Sessions } from './sessions.js'
import { SignInThrottle } from './sign-in-throttle.js'

/**
 * Dashboard accounts: first-run setup, sign-in and sign-out, and (through `invites`) invitations.
 * A dashboard user is a row of `users` with a password; the session it gets acts through the same
 * /api/v1 routes as an API key, with the scopes its role allows.
 */
export class AccountsService {
  readonly invites: InvitesService
  private readonly throttle: SignInThrottle

  constructor(
    private readonly db: Db,
    clock: Clock,
    private readonly sessions: Sessions,
    limiter: RateLimiter,
    private readonly config: Config['accounts'],
    emails?: AccountEmails,
  ) {
    this.invites = new InvitesService(db, clock, sessions, config, emails)
    this.throttle = new SignInThrottle(limiter, config.loginLimits)
  }

  async setupState() {
    return { setup_required: !(await anyOrgExists(this.db)), signup_enabled: this.config.signupEnabled }
  }

  /** Creates an organization (teams plan: a self-hosted installation has every feature) and its owner, signed in. */
  async setup(input: SetupInput, meta: ClientMeta): Promise<OpenedSession> {
    const passwordHash = await hashPassword(input.password)
    return inTransaction(this.db, async (tx) => {
      await lockSetup(tx)
      if ((await anyOrgExists(tx)) && !this.config.signupEnabled) {
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
   * Signs in. Attempts are throttled per client address and per (account, address), never per
   * account alone (see SignInThrottle), and every failure says the same thing in the same time, so
   * the answer never tells whether an email has an account.
   */
  async login(input: LoginInput, meta: ClientMeta): Promise<OpenedSession> {
    const email = input.email.trim().toLowerCase()
    await this.throttle.admit(email, meta.ip)
    const row = await findLoginAccount(this.db, email)
    const ok = await verifyPassword(row?.password_hash, input.password)
    if (!row || !ok) {
      await this.throttle.failed(email, meta.ip)
      throw new ApiError('invalid_credentials', 'The email or the password is incorrect')
    }
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
}
