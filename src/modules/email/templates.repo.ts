import { type Selectable, sql } from 'kysely'
import { type PageParams, paginate } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'
import type { EmailTemplatesTable } from '../../db/schema-email.js'
import { findScoped, scoped, scopedDelete, updateScopedReturning } from '../../db/scoped.js'
import { NEWEST_FIRST } from './email.schema-parts.js'

export type TemplateRow = Omit<Selectable<EmailTemplatesTable>, 'org_id' | 'livemode'>
type TemplateValues = Pick<TemplateRow, 'name' | 'subject' | 'html' | 'text'>
const COLUMNS = ['id', 'name', 'subject', 'html', 'text', 'created_at', 'updated_at'] as const

export function insertTemplate(
  db: Executor,
  scope: TenantScope,
  row: TemplateValues & { id: string },
): Promise<TemplateRow> {
  return db
    .insertInto('email_templates')
    .values({ ...row, org_id: scope.orgId, livemode: scope.livemode })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
}

export function findTemplate(db: Executor, scope: TenantScope, id: string): Promise<TemplateRow | undefined> {
  return findScoped(db, 'email_templates', scope, id, COLUMNS)
}

export function updateTemplate(
  db: Executor,
  scope: TenantScope,
  id: string,
  values: Partial<TemplateValues>,
): Promise<TemplateRow | undefined> {
  return updateScopedReturning(
    db,
    'email_templates',
    scope,
    id,
    { ...values, updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')` },
    COLUMNS,
  )
}

export function deleteTemplate(db: Executor, scope: TenantScope, id: string): Promise<TemplateRow | undefined> {
  return scopedDelete(db, 'email_templates', scope).where('id', '=', id).returning(COLUMNS).executeTakeFirst()
}

export function listTemplates(db: Executor, scope: TenantScope, query: PageParams) {
  return paginate(
    scoped(db, 'email_templates', scope),
    (qb) => qb.select(COLUMNS),
    sql<string>`id`,
    { ...NEWEST_FIRST, expression: sql`created_at` },
    query,
  )
}
