import { ApiError } from '../../core/errors.js'
import type { PageParams } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Db } from '../../db/schema.js'
import { newId } from '../../lib/ids.js'
import { compileFilter } from '../contacts/bulk/search-filter.js'
import {
  countSegment,
  deleteSegment,
  findSegment,
  insertSegment,
  listSegments,
  type SegmentRow,
  updateSegment,
} from './segments.repo.js'
import type { Segment, SegmentCreate, SegmentPreview, SegmentUpdate } from './segments.schemas.js'

/** Saved contact filters; their counts are evaluated on every read, as a campaign evaluates them when it starts. */
export class SegmentsService {
  constructor(private readonly db: Db) {}

  private async toSegment(scope: TenantScope, row: SegmentRow): Promise<Segment> {
    const counts = await countSegment(this.db, scope, row.filter)
    return {
      id: row.id,
      object: 'email_segment',
      name: row.name,
      description: row.description,
      filter: row.filter,
      contact_count: counts.contacts,
      member_count: counts.members,
      created_at: row.created_at.toISOString(),
      updated_at: row.updated_at.toISOString(),
    }
  }

  async create(scope: TenantScope, input: SegmentCreate): Promise<Segment> {
    compileFilter(scope, input.filter)
    const row = await insertSegment(this.db, scope, {
      id: newId('emailSegment'),
      name: input.name,
      description: input.description ?? null,
      filter: input.filter,
    })
    return this.toSegment(scope, row)
  }

  /** The counts a segment with `filter` would have now, without saving it (an editor's live count). */
  async preview(scope: TenantScope, filter: unknown): Promise<SegmentPreview> {
    compileFilter(scope, filter)
    const counts = await countSegment(this.db, scope, filter)
    return { object: 'email_segment_preview', contact_count: counts.contacts, member_count: counts.members }
  }

  async get(scope: TenantScope, id: string): Promise<Segment> {
    const row = await findSegment(this.db, scope, id)
    if (!row) throw notFound(id)
    return this.toSegment(scope, row)
  }

  async list(scope: TenantScope, query: PageParams) {
    const page = await listSegments(this.db, scope, query)
    const data: Segment[] = []
    for (const row of page.data) data.push(await this.toSegment(scope, row))
    return { ...page, data }
  }

  async update(scope: TenantScope, id: string, input: SegmentUpdate): Promise<Segment> {
    if (input.filter !== undefined) compileFilter(scope, input.filter)
    const row = await updateSegment(this.db, scope, id, input)
    if (!row) throw notFound(id)
    return this.toSegment(scope, row)
  }

  async remove(scope: TenantScope, id: string): Promise<void> {
    if (!(await deleteSegment(this.db, scope, id))) throw notFound(id)
  }
}

function notFound(id: string) {
  return new ApiError('not_found', `Segment ${id} not found`)
}
