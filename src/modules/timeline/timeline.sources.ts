import type { TenantScope } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'
import { findActivities } from '../activities/activities.repo.js'
import { toActivity } from '../activities/activities.service.js'
import { findDeals } from '../deals/deals.repo.js'
import { toDeal } from '../deals/deals.service.js'
import { toEmail } from '../email/emails.service.js'
import { findFormResponses } from '../leads/form-responses/form-responses.service.js'
import { findNotes } from '../notes/notes.repo.js'
import { toNote } from '../notes/notes.service.js'
import { toBooking } from '../scheduling/bookings.view.js'
import { findTasks } from '../tasks/tasks.repo.js'
import { toTask } from '../tasks/tasks.service.js'
import { type EntryTable, findBookings, findEmails } from './timeline.repo.js'
import type { TimelineItemType } from './timeline.schemas.js'

/**
 * One kind of thing that appears on a contact's timeline: the table its entries come from (the
 * entry query is in timeline.repo.ts, ENTRY_QUERIES), the entry types it yields (a deal's
 * creation, win and loss), and how to load the full API objects of a page's entries. The timeline
 * is the `union all` of every source's entries, so adding a source is one more element here, its
 * entry query, its entry types and object schema in timeline.schemas.ts, and an index on the
 * table's `contact_id`.
 */
export interface TimelineSource {
  table: EntryTable
  types: readonly TimelineItemType[]
  load(db: Executor, scope: TenantScope, ids: string[]): Promise<Map<string, unknown>>
}

const byId = <T extends { id: string }>(objects: T[]) => new Map(objects.map((o) => [o.id, o]))

export const TIMELINE_SOURCES: readonly TimelineSource[] = [
  {
    table: 'activities',
    types: ['activity'],
    load: async (db, scope, ids) => byId((await findActivities(db, scope, ids)).map(toActivity)),
  },
  {
    table: 'notes',
    types: ['note'],
    load: async (db, scope, ids) => byId((await findNotes(db, scope, ids)).map(toNote)),
  },
  {
    table: 'deals',
    types: ['deal.created', 'deal.won', 'deal.lost'],
    load: async (db, scope, ids) => byId((await findDeals(db, scope, ids)).map(toDeal)),
  },
  {
    table: 'tasks',
    types: ['task.created', 'task.completed'],
    load: async (db, scope, ids) => byId((await findTasks(db, scope, ids)).map(toTask)),
  },
  {
    table: 'form_responses',
    types: ['form_response.created'],
    load: async (db, scope, ids) => byId(await findFormResponses(db, scope, ids)),
  },
  {
    table: 'bookings',
    types: ['booking.created', 'booking.rescheduled', 'booking.cancelled'],
    load: async (db, scope, ids) => byId((await findBookings(db, scope, ids)).map(toBooking)),
  },
  {
    table: 'emails',
    types: ['email.sent', 'email.failed'],
    load: async (db, scope, ids) => byId((await findEmails(db, scope, ids)).map((row) => toEmail(row))),
  },
]
