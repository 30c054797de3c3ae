import { type Selectable, sql } from 'kysely'
import { type PageParams, paginate } from '../../../core/pagination.js'
import type { TenantScope } from '../../../core/tenancy.js'
import type { Executor } from '../../../db/schema.js'
import type {
  SendingDomainDkimKeysTable,
  SendingDomainsTable,
  StoredDomainCheck,
  StoredRecordCheck,
} from '../../../db/schema-sending-domains.js'
import { scoped, scopedUpdate } from '../../../db/scoped.js'

export type DomainRow = Omit<Selectable<SendingDomainsTable>, 'org_id' | 'livemode'> & { sender_count: number }
export type DkimKeyRow = Omit<Selectable<SendingDomainDkimKeysTable>, 'org_id' | 'livemode'>

/** The domain part of a sender's address, lower-case: what a sending domain is keyed by. */
const senderDomain = sql<string>`lower(substring(s.email from '@([^@]+)$'))`

const senderCount = sql<number>`(select count(*)::int from email_senders s
  where s.org_id = d.org_id and s.livemode = d.livemode and ${senderDomain} = d.domain)`

const scopedDomains = (db: Executor, scope: TenantScope) =>
  db.selectFrom('sending_domains as d').where('d.org_id', '=', scope.orgId).where('d.livemode', '=', scope.livemode)

const DOMAIN_COLUMNS = ['d.domain', 'd.dns_check', 'd.checked_at', 'd.created_at', 'd.updated_at'] as const

/** Domains of the scope's senders that have no sending domain (and so no key) yet. */
export async function senderDomainsWithoutKeys(db: Executor, scope: TenantScope): Promise<string[]> {
  const result = await sql<{ domain: string }>`
    select distinct ${senderDomain} as domain from email_senders s
    where s.org_id = ${scope.orgId} and s.livemode = ${scope.livemode}
      and ${senderDomain} is not null
      and not exists (select 1 from sending_domains d
        where d.org_id = s.org_id and d.livemode = s.livemode and d.domain = ${senderDomain})`.execute(db)
  return result.rows.map((r) => r.domain)
}

/** Whether one of the scope's senders is on `domain`. */
export async function hasSenderOn(db: Executor, scope: TenantScope, domain: string): Promise<boolean> {
  const result = await sql<{ found: boolean }>`
    select exists (select 1 from email_senders s
      where s.org_id = ${scope.orgId} and s.livemode = ${scope.livemode} and ${senderDomain} = ${domain}) as found`.execute(
    db,
  )
  return result.rows[0]?.found === true
}

/** Inserts the domain unless it exists; true when this call made it. */
export async function insertDomain(db: Executor, scope: TenantScope, domain: string): Promise<boolean> {
  const row = await db
    .insertInto('sending_domains')
    .values({ org_id: scope.orgId, livemode: scope.livemode, domain })
    .onConflict((oc) => oc.columns(['org_id', 'livemode', 'domain']).doNothing())
    .returning('domain')
    .executeTakeFirst()
  return row !== undefined
}

export async function insertKey(
  db: Executor,
  scope: TenantScope,
  key: Pick<DkimKeyRow, 'domain' | 'selector' | 'public_key' | 'private_key_sealed' | 'state'>,
): Promise<void> {
  await db
    .insertInto('sending_domain_dkim_keys')
    .values({
      org_id: scope.orgId,
      livemode: scope.livemode,
      ...key,
      activated_at: key.state === 'active' ? sql`now()` : null,
    })
    .execute()
}

export function findDomain(db: Executor, scope: TenantScope, domain: string): Promise<DomainRow | undefined> {
  return scopedDomains(db, scope)
    .select([...DOMAIN_COLUMNS, senderCount.as('sender_count')])
    .where('d.domain', '=', domain)
    .executeTakeFirst()
}

/** The scope's domains in name order, paged. */
export function listDomains(db: Executor, scope: TenantScope, query: PageParams) {
  return paginate(
    scopedDomains(db, scope),
    (qb) => qb.select([...DOMAIN_COLUMNS, senderCount.as('sender_count'), sql<string>`d.domain`.as('id')]),
    sql<string>`d.domain`,
    { name: 'domain', expression: sql`d.domain`, castTo: 'text', descending: false },
    query,
  )
}

/** The active and pending keys of the given domains, active first. */
export function liveKeysOf(db: Executor, scope: TenantScope, domains: string[]): Promise<DkimKeyRow[]> {
  if (domains.length === 0) return Promise.resolve([])
  return scoped(db, 'sending_domain_dkim_keys', scope)
    .select([
      'domain',
      'selector',
      'algorithm',
      'public_key',
      'private_key_sealed',
      'state',
      'dns_status',
      'dns_found',
      'dns_detail',
      'checked_at',
      'created_at',
      'activated_at',
      'retired_at',
    ])
    .where('domain', 'in', domains)
    .where('state', 'in', ['active', 'pending'])
    .orderBy('domain')
    .orderBy('state')
    .execute()
}

/** The key that signs the domain's messages now. */
export function findActiveKey(
  db: Executor,
  scope: TenantScope,
  domain: string,
): Promise<Pick<DkimKeyRow, 'selector' | 'private_key_sealed'> | undefined> {
  return scoped(db, 'sending_domain_dkim_keys', scope)
    .select(['selector', 'private_key_sealed'])
    .where('domain', '=', domain)
    .where('state', '=', 'active')
    .executeTakeFirst()
}

export async function saveKeyCheck(
  db: Executor,
  scope: TenantScope,
  domain: string,
  selector: string,
  check: Pick<StoredRecordCheck, 'status' | 'found' | 'detail'>,
): Promise<void> {
  await scopedUpdate(db, 'sending_domain_dkim_keys', scope)
    .set({ dns_status: check.status, dns_found: check.found, dns_detail: check.detail, checked_at: sql`now()` })
    .where('domain', '=', domain)
    .where('selector', '=', selector)
    .execute()
}

export async function saveDomainCheck(
  db: Executor,
  scope: TenantScope,
  domain: string,
  check: StoredDomainCheck,
): Promise<void> {
  await scopedUpdate(db, 'sending_domains', scope)
    .set({ dns_check: JSON.stringify(check), checked_at: sql`now()`, updated_at: sql`now()` })
    .where('domain', '=', domain)
    .execute()
}

/** The pending key becomes the signing key; the one it replaces is retired (kept, no longer used). */
export async function promotePendingKey(db: Executor, scope: TenantScope, domain: string): Promise<void> {
  const keys = scopedUpdate(db, 'sending_domain_dkim_keys', scope).where('domain', '=', domain)
  // Two statements, retire first: the partial unique index allows one active key per domain.
  await keys.set({ state: 'retired', retired_at: sql`now()` }).where('state', '=', 'active').execute()
  await keys.set({ state: 'active', activated_at: sql`now()` }).where('state', '=', 'pending').execute()
}

/** Locks the domain's row for the transaction (rotation and check promotion do not interleave); false when absent. */
export async function lockDomain(db: Executor, scope: TenantScope, domain: string): Promise<boolean> {
  const row = await scopedDomains(db, scope)
    .select('d.domain')
    .where('d.domain', '=', domain)
    .forUpdate()
    .executeTakeFirst()
  return row !== undefined
}
