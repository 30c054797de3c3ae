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

/** Who is calling: fixed by the API key (or, later, the dashboard session). */
export interface Principal extends TenantScope {
  keyId: string
  plan: Plan
  /** The key's scopes narrowed to what the organization's plan allows today. */
  scopes: readonly Scope[]
  /** Set for a publishable key (public form routes only): the web origins it may be used from. */
  allowedOrigins?: readonly string[]
}

export function effectiveScopes(keyScopes: readonly string[], plan: Plan): Scope[] {
  return PLAN_SCOPES[plan].filter((s) => keyScopes.includes(s))
}
