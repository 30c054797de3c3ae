import { randomBytes } from 'node:crypto'
import { ApiError, invalidField } from '../../../core/errors.js'
import type { PageParams } from '../../../core/pagination.js'
import type { TenantScope } from '../../../core/tenancy.js'
import type { Db } from '../../../db/schema.js'
import { randomBase62, sha256Hex } from '../../../lib/crypto.js'
import type { PublicUrl } from '../../../lib/public-url.js'
import type { SecretBox } from '../../../lib/secret-box.js'
import { deleteHook, findHook, insertHook, listHooks, type ProviderHookRow } from './provider-hooks.repo.js'
import type { Provider, ProviderHook, ProviderHookCreate } from './provider-hooks.schemas.js'
import { sendgridKey } from './sendgrid.js'

/** The path a hook receives on; the token is its last segment. */
export const hookPath = (provider: string, token: string) => `/hooks/email/${provider}/${token}`
export const hashToken = (token: string) => sha256Hex(token)

/** The settings each provider takes: any other is refused, a required one missing is a 422. */
const SETTINGS: Record<Provider, { required: (keyof ProviderHookCreate)[]; allowed: (keyof ProviderHookCreate)[] }> = {
  ses: { required: [], allowed: ['topic_arn'] },
  sendgrid: { required: ['verification_key'], allowed: ['verification_key'] },
  postmark: { required: [], allowed: [] },
  mailgun: { required: ['signing_key'], allowed: ['signing_key'] },
}
const PROVIDER_SETTINGS = ['topic_arn', 'verification_key', 'signing_key'] as const

const hintOf = (secret: string) => `…${secret.slice(-4)}`

/** Registered provider webhooks of an organization and mode (admin scope to change them). */
export class ProviderHooksService {
  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
    private readonly publicUrl: PublicUrl,
  ) {}

  /** Registers a hook; the answer holds the URL (and Postmark's password) this once. */
  async create(scope: TenantScope, input: ProviderHookCreate): Promise<ProviderHook> {
    const rule = SETTINGS[input.provider]
    for (const field of PROVIDER_SETTINGS) {
      if (input[field] !== undefined && !rule.allowed.includes(field)) {
        throw invalidField(field, `is not a setting of a ${input.provider} hook`)
      }
    }
    for (const field of rule.required) {
      if (input[field] === undefined) throw invalidField(field, `is required for a ${input.provider} hook`)
    }
    if (input.verification_key !== undefined && !sendgridKey(input.verification_key)) {
      throw invalidField(
        'verification_key',
        'is not an ECDSA P-256 public key: paste the verification key SendGrid shows for the signed event webhook',
      )
    }
    const token = randomBase62(256)
    const username = input.provider === 'postmark' ? `rapport-${randomBytes(4).toString('hex')}` : null
    const password = input.provider === 'postmark' ? randomBase62(128) : undefined
    const secret = input.signing_key ?? password
    const row = await insertHook(this.db, scope, {
      provider: input.provider,
      description: input.description ?? null,
      token_hash: hashToken(token),
      token_hint: token.slice(0, 4),
      topic_arn: input.topic_arn ?? null,
      verification_key: input.verification_key?.trim() ?? null,
      username,
      secret_sealed: secret === undefined ? null : this.box.seal(secret),
      secret_hint: secret === undefined ? null : hintOf(secret),
    })
    const url = new URL(`${this.publicUrl.base}${hookPath(input.provider, token)}`)
    if (username && password) {
      url.username = username
      url.password = password
    }
    return { ...this.view(row), url: url.toString(), ...(password ? { password } : {}) }
  }

  async list(scope: TenantScope, query: PageParams) {
    const page = await listHooks(this.db, scope, query)
    return { ...page, data: page.data.map((row) => this.view(row)) }
  }

  async get(scope: TenantScope, id: string): Promise<ProviderHook> {
    const row = await findHook(this.db, scope, id)
    if (!row) throw new ApiError('not_found', `Provider hook ${id} not found`)
    return this.view(row)
  }

  /** Deletes the hook: its URL answers 404 from then on (providers stop retrying on a 404 only after their own schedule). */
  async remove(scope: TenantScope, id: string): Promise<ProviderHook> {
    const row = await deleteHook(this.db, scope, id)
    if (!row) throw new ApiError('not_found', `Provider hook ${id} not found`)
    return this.view(row)
  }

  private view(row: ProviderHookRow): ProviderHook {
    return {
      id: row.id,
      object: 'email_provider_hook',
      provider: row.provider,
      description: row.description,
      livemode: row.livemode,
      url_hint: `${this.publicUrl.base}/hooks/email/${row.provider}/${row.token_hint}…`,
      topic_arn: row.topic_arn,
      confirmed_at: row.confirmed_at?.toISOString() ?? null,
      verification_key: row.verification_key,
      username: row.username,
      secret_hint: row.secret_hint,
      last_received_at: row.last_received_at?.toISOString() ?? null,
      created_at: row.created_at.toISOString(),
    }
  }
}
