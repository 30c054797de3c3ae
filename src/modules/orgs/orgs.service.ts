import { ApiError } from '../../core/errors.js'
import type { Plan } from '../../core/tenancy.js'
import type { Db, Executor } from '../../db/schema.js'
import { newId } from '../../lib/ids.js'
import type { SignInLinks } from '../accounts/sign-in-links.service.js'
import { type ApiKeyView, createKey } from '../api-keys/api-keys.service.js'
import { KeysService } from '../api-keys/keys.service.js'
import { insertDefaultPipeline } from '../pipelines/pipelines.repo.js'
import { findOrg, insertOrg, listOrgs, type OrgRow, updateOrg } from './orgs.repo.js'
import type { Org, OrgCreate, OrgCreated, OrgUpdate } from './orgs.schemas.js'

export function toOrg(row: OrgRow): Org {
  return {
    id: row.id,
    object: 'organization',
    name: row.name,
    plan: row.plan,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }
}

/**
 * A new organization with the default pipeline of each mode, inside the caller's transaction. Its
 * keys are the caller's business: the operator API makes a first one, the dashboard's sign-up none.
 */
export async function createOrganization(tx: Executor, input: OrgCreate): Promise<Org> {
  const plan: Plan = input.plan ?? 'free'
  const org = await insertOrg(tx, { id: newId('organization'), name: input.name, plan })
  for (const livemode of [true, false]) await insertDefaultPipeline(tx, { orgId: org.id, livemode })
  return toOrg(org)
}

/** How to give an organization created without an owner one: the CLI's owner invite. */
export function ownerHint(orgId: string): string {
  return `No owner yet: run "rapport user invite --org ${orgId} --email you@example.com --role owner" for a single-use sign-in link`
}

/** Operator actions: used by the provisioning API and the CLI alike. */
export class OrgsService {
  /** `links`: needed to create an organization with its owner (`owner` in the input). */
  /** The organization's API keys (the key routes use the same service). */
  readonly keys: KeysService

  constructor(
    private readonly db: Db,
    private readonly links?: SignInLinks,
  ) {
    this.keys = new KeysService(db)
  }

  /**
   * Creates the organization with its first live secret key (every scope its plan allows), the
   * default pipeline of each mode and, when named, its owner with a sign-in link, in one transaction.
   */
  async create(input: OrgCreate): Promise<OrgCreated> {
    const { owner: ownerInput, ...orgInput } = input
    return this.db.transaction().execute(async (tx) => {
      const org = await createOrganization(tx, orgInput)
      const apiKey = await createKey(tx, org.id, org.plan, { name: 'Default secret key', mode: 'live' })
      if (!ownerInput) return { org, api_key: apiKey, owner: null, next_step: ownerHint(org.id) }
      if (!this.links) throw new Error('OrgsService needs SignInLinks to create an owner')
      const owner = await this.links.addOwner(tx, org.id, ownerInput)
      return {
        org,
        api_key: apiKey,
        owner,
        next_step: `Open owner.url to set a password and sign in (single use, expires ${owner.expires_at})`,
      }
    })
  }

  async get(id: string): Promise<Org> {
    const row = await findOrg(this.db, id)
    if (!row) throw new ApiError('not_found', `Organization ${id} not found`)
    return toOrg(row)
  }

  async update(id: string, input: OrgUpdate): Promise<Org> {
    const row = await updateOrg(this.db, id, input)
    if (!row) throw new ApiError('not_found', `Organization ${id} not found`)
    return toOrg(row)
  }

  async list(opts: { limit: number; offset: number }) {
    const { rows, total } = await listOrgs(this.db, opts)
    return { rows: rows.map(toOrg), total }
  }

  /** Creates a key of `orgId` (see KeysService.create). */
  createKey(...args: Parameters<KeysService['create']>): Promise<ApiKeyView> {
    return this.keys.create(...args)
  }

  listKeys(orgId: string, opts: { livemode?: boolean; limit: number; offset: number }) {
    return this.keys.list(orgId, opts)
  }

  revokeKey(keyId: string, orgId?: string, livemode?: boolean): Promise<ApiKeyView> {
    return this.keys.revoke(keyId, orgId, livemode)
  }
}
