export type Plan = 'free' | 'pro' | 'teams' | 'enterprise'
export const PLANS: readonly Plan[] = ['free', 'pro', 'teams', 'enterprise']

export type Scope = 'read' | 'write' | 'admin' | 'webhooks' | 'leads' | 'keys'
export const SCOPES: readonly Scope[] = ['read', 'write', 'admin', 'webhooks', 'leads', 'keys']

/**
 * What each plan lets its keys hold, by default. Lead capture (`leads`) and managing one's own keys
 * (`keys`) belong to every plan: a free organization must be able to take leads and to create the
 * publishable key its form widget needs. RAPPORT_PLAN_SCOPES replaces any plan's row.
 */
export const DEFAULT_PLAN_SCOPES: Record<Plan, readonly Scope[]> = {
  free: ['read', 'leads', 'keys'],
  pro: ['read', 'write', 'leads', 'keys'],
  teams: ['read', 'write', 'admin', 'webhooks', 'leads', 'keys'],
  enterprise: ['read', 'write', 'admin', 'webhooks', 'leads', 'keys'],
}

let planScopeTable: Record<Plan, readonly Scope[]> = DEFAULT_PLAN_SCOPES

/**
 * Installs the plan-to-scope table of this process (RAPPORT_PLAN_SCOPES, read once at start by
 * config.ts). Process-wide, like the environment it comes from: createDeps and the CLI set it.
 */
export function usePlanScopes(table: Record<Plan, readonly Scope[]>) {
  planScopeTable = table
}

/** The scopes the plan lets keys and people hold today. */
export function planScopes(plan: Plan): readonly Scope[] {
  return planScopeTable[plan]
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
 * and lead capture only, so API keys, webhook secrets and the audit log stay out of their reach.
 */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  owner: SCOPES,
  admin: SCOPES,
  member: ['read', 'write', 'leads'],
}

export function effectiveScopes(keyScopes: readonly string[], plan: Plan): Scope[] {
  return planScopes(plan).filter((s) => keyScopes.includes(s))
}
