import { ApiError } from '../../core/errors.js'
import type { Db } from '../../db/schema.js'
import { findOrg } from '../orgs/orgs.repo.js'
import { type ApiKeyView, createKey, listOrgKeys, revoke, updateOrgKey } from './api-keys.service.js'

/**
 * Owns an organization's API keys: create, list, update and revoke. The key routes
 * (`/api/v1/api_keys`) and the operator's organization routes and commands (through `OrgsService`)
 * both go through it, so a key is made and shown one way whoever asks.
 */
export class KeysService {
  constructor(private readonly db: Db) {}

  /**
   * `createdByUserId`: the dashboard user behind the request (see Principal.keyCreatorId); none for
   * operators. `creatorScopes`: the creating key's or person's scopes, which the new key cannot
   * exceed; none for operators.
   */
  async create(
    orgId: string,
    input: Parameters<typeof createKey>[3],
    createdByUserId: string | null = null,
    creatorScopes?: Parameters<typeof createKey>[5],
  ): Promise<ApiKeyView> {
    const org = await this.orgOf(orgId)
    return createKey(this.db, org.id, org.plan, input, createdByUserId, creatorScopes)
  }

  async list(orgId: string, opts: { livemode?: boolean; limit: number; offset: number }) {
    const org = await this.orgOf(orgId)
    return listOrgKeys(this.db, org.id, org.plan, opts)
  }

  update(
    keyId: string,
    orgId: string,
    livemode: boolean | undefined,
    input: Parameters<typeof updateOrgKey>[4],
    opts: { ifMatch?: string } = {},
  ): Promise<ApiKeyView> {
    return updateOrgKey(this.db, keyId, orgId, livemode, input, opts)
  }

  /** Revokes a key of `orgId` (any organization's when orgId is undefined: operators only), of one mode when given. */
  revoke(keyId: string, orgId?: string, livemode?: boolean): Promise<ApiKeyView> {
    return revoke(this.db, keyId, orgId, livemode)
  }

  private async orgOf(orgId: string) {
    const row = await findOrg(this.db, orgId)
    if (!row) throw new ApiError('not_found', `Organization ${orgId} not found`)
    return row
  }
}
