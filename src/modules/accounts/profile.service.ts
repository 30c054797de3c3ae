import { ApiError, invalidField } from '../../core/errors.js'
import type { Principal } from '../../core/tenancy.js'
import type { Db } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { hashPassword, verifyPassword } from './passwords.js'
import { closeOtherSessions, findProfileRow, renameOrganization, updateProfileRow } from './profile.repo.js'
import type { Organization, OrganizationUpdate, Profile, ProfileUpdate } from './profile.schemas.js'

/** The signed-in person's own name and password, and the organization's name. */
export class ProfileService {
  constructor(private readonly db: Db) {}

  /**
   * Changes the caller's own name and/or password. A new password needs the present one (422
   * `current_password` otherwise) and signs the person's other sessions out.
   */
  async update(principal: Principal, sessionId: string | undefined, input: ProfileUpdate): Promise<Profile> {
    const userId = principal.userId
    if (!userId)
      throw new ApiError(
        'insufficient_scope',
        'Only a signed-in person has a profile: an API key changes users with PATCH /api/v1/users/{id}',
      )
    if (input.current_password !== undefined && input.password === undefined) {
      throw invalidField('password', 'The new password is missing')
    }
    // Hashing is slow on purpose: done before the transaction, which then only writes.
    const newHash = input.password !== undefined ? await hashPassword(input.password) : undefined
    return inTransaction(this.db, async (tx) => {
      const row = await findProfileRow(tx, principal.orgId, userId)
      if (!row) throw new ApiError('unauthenticated', 'Your account no longer exists')
      if (newHash !== undefined && !(await verifyPassword(row.password_hash, input.current_password ?? ''))) {
        throw invalidField('current_password', 'The present password is not correct')
      }
      const name = input.name?.trim()
      await updateProfileRow(tx, principal.orgId, userId, {
        ...(name !== undefined ? { name } : {}),
        ...(newHash !== undefined ? { password_hash: newHash } : {}),
      })
      if (newHash !== undefined) await closeOtherSessions(tx, userId, sessionId)
      return {
        id: row.id,
        object: 'profile' as const,
        name: name ?? row.name,
        email: row.email,
        role: row.role,
        password_changed: newHash !== undefined,
      }
    })
  }

  async renameOrganization(principal: Principal, input: OrganizationUpdate): Promise<Organization> {
    const row = await renameOrganization(this.db, principal.orgId, input.name.trim())
    return { id: row.id, object: 'organization', name: row.name }
  }
}
