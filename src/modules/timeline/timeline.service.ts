import { ApiError } from '../../core/errors.js'
import type { ListResult, PageParams } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Db } from '../../db/schema.js'
import { findContact } from '../contacts/contacts.repo.js'
import { pageEntries } from './timeline.repo.js'
import type { TimelineItem, TimelineQuery } from './timeline.schemas.js'
import { TIMELINE_SOURCES } from './timeline.sources.js'

export class TimelineService {
  constructor(private readonly db: Db) {}

  /**
   * One page of the contact's history, newest first: the `union all` of every source's entries,
   * keyset-paginated on `(occurred_at, type:id)`, then each entry's object loaded by one query per
   * source present on the page. Objects are shown as they are now (a completed task's
   * `task.created` entry shows it completed).
   */
  async list(
    scope: TenantScope,
    contactId: string,
    query: TimelineQuery & PageParams,
  ): Promise<ListResult<TimelineItem>> {
    if (!(await findContact(this.db, scope, contactId))) {
      throw new ApiError('not_found', `Contact ${contactId} not found`)
    }
    const wanted = query.type ? new Set<string>(query.type) : undefined
    const sources = TIMELINE_SOURCES.filter((s) => !wanted || s.types.some((t) => wanted.has(t)))
    const page = await pageEntries(
      this.db,
      scope,
      contactId,
      sources.map((s) => s.table),
      wanted ? [...wanted] : undefined,
      query,
    )
    const objects = new Map<string, unknown>()
    await Promise.all(
      sources.map(async (source) => {
        const ids = page.data.filter((e) => source.types.includes(e.type)).map((e) => e.object_id)
        if (ids.length === 0) return
        for (const [id, object] of await source.load(this.db, scope, [...new Set(ids)])) objects.set(id, object)
      }),
    )
    // An object deleted between the two reads drops out of this page rather than failing it.
    const data = page.data.flatMap((e) => {
      const object = objects.get(e.object_id)
      return object ? [{ type: e.type, occurred_at: e.occurred_at.toISOString(), object } as TimelineItem] : []
    })
    return { data, pagination: page.pagination }
  }
}
