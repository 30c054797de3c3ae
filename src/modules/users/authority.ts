import { ApiError } from '../../core/errors.js'
import { actingUserId, type Principal, type Role } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'
import { findRole } from './users.repo.js'

/**
 * Who stands behind a change of roles (making, changing or removing a user, inviting one): an
 * operator, whose keys act for the organization, or a dashboard user with their role today. A key
 * a user created carries that user's authority, read again on every use, so an admin cannot get
 * round a rule with a key and a demoted user's keys lose what the user lost.
 */
export type Authority =
  | { operator: true }
  | {
      operator: false
      userId: string
      /** The user's role today; undefined when they are no longer a user of the organization. */
      role: Role | undefined
      /** True when the authority comes through an API key the user created. */
      viaKey: boolean
    }

export const OPERATOR: Authority = { operator: true }

const RANK: Record<Role, number> = { member: 0, admin: 1, owner: 2 }

/** The authority of a request: its session's user, the creator of its key, or an operator. */
export async function authorityOf(executor: Executor, principal: Principal): Promise<Authority> {
  const userId = actingUserId(principal)
  if (userId === undefined) return OPERATOR
  if (principal.role) return { operator: false, userId, role: principal.role, viaKey: false }
  return { operator: false, userId, role: await findRole(executor, principal.orgId, userId), viaKey: true }
}

/** True when the authority may give `role`, or change or remove a user who has it. */
export function holdsAuthorityOver(authority: Authority, role: Role): boolean {
  if (authority.operator) return true
  const mine = authority.role
  return mine !== undefined && mine !== 'member' && RANK[mine] >= RANK[role]
}

/**
 * Throws 403 unless the authority may give `role`, or change or remove a user who has it: owners
 * over every role, admins over admins and members, members over none (they manage no one), and
 * operators over all. So nobody can make anyone, themselves included, more than they are.
 */
export function assertAuthorityOver(authority: Authority, role: Role): void {
  if (holdsAuthorityOver(authority, role)) return
  if (authority.operator) return
  const creator =
    authority.role === undefined ? 'no longer a user' : authority.role === 'admin' ? 'an admin' : 'a member'
  const how = authority.viaKey ? ` (the user who created this API key is ${creator})` : ''
  const message =
    role === 'owner'
      ? `Only an owner can make, change or remove an owner${how}`
      : `Only an owner or an admin can give the ${role} role, or change or remove a user who has it${how}`
  throw new ApiError('insufficient_scope', message)
}
