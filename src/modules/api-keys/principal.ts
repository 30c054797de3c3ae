import type { Plan } from '../../config.js'

export type Scope = 'read' | 'write' | 'admin' | 'webhooks'
export const SCOPES: readonly Scope[] = ['read', 'write', 'admin', 'webhooks']

/** What each plan lets its keys hold. A key may hold fewer; a downgrade narrows existing keys at once. */
export const PLAN_SCOPES: Record<Plan, readonly Scope[]> = {
  free: ['read'],
  pro: ['read', 'write'],
  teams: ['read', 'write', 'admin', 'webhooks'],
}

/** The tenant a request acts in: every repository function takes it, so no query can forget it. */
export interface TenantScope {
  orgId: string
  livemode: boolean
}

export type Role = 'owner' | 'admin' | 'member'

/** Who is calling: fixed by the API key, or by the dashboard session of a user. */
export interface Principal extends TenantScope {
  /**
   * Who acts, as rate limits and "done by" fields see it: the API key's id, or for a dashboard
   * session the user's id (`userId` is then set too).
   */
  keyId: string
  plan: Plan
  /** The key's scopes narrowed to what the organization's plan allows today. */
  scopes: readonly Scope[]
  /** Set for a publishable key (public form routes only): the web origins it may be used from. */
  allowedOrigins?: readonly string[]
  /** Set for a dashboard session: the signed-in user and their role. */
  userId?: string
  role?: Role
  /**
   * Set for an API key a dashboard user created (directly, or with a key they created): the key
   * has no more authority over owners than that user has today. Unset for operators' keys.
   */
  keyCreatorId?: string
}

/** The dashboard user a caller acts for: the session's user, or the creator of the key; none for an operator's key. */
export function actingUserId(principal: Principal): string | undefined {
  return principal.userId ?? principal.keyCreatorId
}

/**
 * What a dashboard user may do: owners and admins everything the plan allows, members the CRM data
 * only (`read` and `write`), so API keys, webhook secrets and the audit log stay out of their reach.
 */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  owner: SCOPES,
  admin: SCOPES,
  member: ['read', 'write'],
}

export function effectiveScopes(keyScopes: readonly string[], plan: Plan): Scope[] {
  return PLAN_SCOPES[plan].filter((s) => keyScopes.includes(s))
}
