import { type RawBuilder, sql } from 'kysely'
import type { TenantScope } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'
import { findActivities } from '../activities/activities.repo.js'
import { toActivity } from '../activities/activities.service.js'
import { findDeals } from '../deals/deals.repo.js'
import { toDeal } from '../deals/deals.service.js'
import { findFormResponses } from '../leads/form-responses/form-responses.service.js'
import { findNotes } from '../notes/notes.repo.js'
import { toNote } from '../notes/notes.service.js'
import { findTasks } from '../tasks/tasks.repo.js'
import { toTask } from '../tasks/tasks.service.js'
import type { TimelineItemType } from './timeline.schemas.js'

/**
 * One kind of thing that appears on a contact's timeline. `entries` is a SQL select of
 * `(type, object_id, occurred_at)` rows for one contact, one row per entry (a source may yield
 * several entry types, e.g. a deal's creation, win and loss); `load` fetches the full API objects
 * of a page's entries. The timeline is the `union all` of every source's entries, so adding a
 * source (form submissions, bookings…) is one more element in TIMELINE_SOURCES, plus its entry
 * types in the schema, plus an index on `(contact_id, <time column>)`.
 */
export interface TimelineSource {
  types: readonly TimelineItemType[]
  entries(scope: TenantScope, contactId: string): RawBuilder<unknown>
  load(db: Executor, scope: TenantScope, ids: string[]): Promise<Map<string, unknown>>
}

const ofContact = (scope: TenantScope, contactId: string) =>
  sql`org_id = ${scope.orgId} and livemode = ${scope.livemode} and contact_id = ${contactId}`

const byId = <T extends { id: string }>(objects: T[]) => new Map(objects.map((o) => [o.id, o]))

export const TIMELINE_SOURCES: readonly TimelineSource[] = [
  {
    types: ['activity'],
    entries: (scope, contactId) =>
      sql`select 'activity' as type, id as object_id, occurred_at from activities where ${ofContact(scope, contactId)}`,
    load: async (db, scope, ids) => byId((await findActivities(db, scope, ids)).map(toActivity)),
  },
  {
    types: ['note'],
    entries: (scope, contactId) =>
      sql`select 'note' as type, id as object_id, created_at as occurred_at from notes where ${ofContact(scope, contactId)}`,
    load: async (db, scope, ids) => byId((await findNotes(db, scope, ids)).map(toNote)),
  },
  {
    types: ['deal.created', 'deal.won', 'deal.lost'],
    entries: (scope, contactId) => sql`
      select 'deal.created' as type, id as object_id, created_at as occurred_at from deals where ${ofContact(scope, contactId)}
      union all
      select 'deal.won', id, won_at from deals where ${ofContact(scope, contactId)} and won_at is not null
      union all
      select 'deal.lost', id, lost_at from deals where ${ofContact(scope, contactId)} and lost_at is not null`,
    load: async (db, scope, ids) => byId((await findDeals(db, scope, ids)).map(toDeal)),
  },
  {
    types: ['task.created', 'task.completed'],
    entries: (scope, contactId) => sql`
      select 'task.created' as type, id as object_id, created_at as occurred_at from tasks where ${ofContact(scope, contactId)}
      union all
      select 'task.completed', id, completed_at from tasks where ${ofContact(scope, contactId)} and completed_at is not null`,
    load: async (db, scope, ids) => byId((await findTasks(db, scope, ids)).map(toTask)),
  },
  {
    types: ['form_response.created'],
    entries: (scope, contactId) =>
      sql`select 'form_response.created' as type, id as object_id, created_at as occurred_at from form_responses where ${ofContact(scope, contactId)}`,
    load: async (db, scope, ids) => byId(await findFormResponses(db, scope, ids)),
  },
]
