import { type Selectable, sql } from 'kysely'
import { type PageParams, paginate } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'
import type { EmailTemplatesTable } from '../../db/schema-email.js'
import { NEWEST_FIRST } from './email.schema-parts.js'

export type TemplateRow = Omit<Selectable<EmailTemplatesTable>, 'org_id' | 'livemode'>
type TemplateValues = Pick<TemplateRow, 'name' | 'subject' | 'html' | 'text'>
const COLUMNS = ['id', 'name', 'subject', 'html', 'text', 'created_at', 'updated_at'] as const

const scoped = (db: Executor, scope: TenantScope) =>
  db.selectFrom('email_templates').where('org_id', '=', scope.orgId).where('livemode', '=', scope.livemode)

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
  return scoped(db, scope).select(COLUMNS).where('id', '=', id).executeTakeFirst()
}

export function updateTemplate(
  db: Executor,
  scope: TenantScope,
  id: string,
  values: Partial<TemplateValues>,
): Promise<TemplateRow | undefined> {
  return db
    .updateTable('email_templates')
    .set({ ...values, updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')` })
    .where('org_id', '=', scope.orgId)
    .where('livemode', '=', scope.livemode)
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirst()
}

export function deleteTemplate(db: Executor, scope: TenantScope, id: string): Promise<TemplateRow | undefined> {
  return db
    .deleteFrom('email_templates')
    .where('org_id', '=', scope.orgId)
    .where('livemode', '=', scope.livemode)
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirst()
}

export function listTemplates(db: Executor, scope: TenantScope, query: PageParams) {
  return paginate(
    scoped(db, scope),
    (qb) => qb.select(COLUMNS),
    sql<string>`id`,
    { ...NEWEST_FIRST, expression: sql`created_at` },
    query,
  )
}
