import type { ListResult } from '../../core/pagination.js'
import type { Principal } from '../../core/tenancy.js'
import type { Db } from '../../db/schema.js'
import type { Clock } from '../../lib/clock.js'
import { namesOfKeys } from '../api-keys/api-keys.repo.js'
import { namesOfUsers } from '../users/users.repo.js'
import { listAuditEntries, usageByDay } from './audit.repo.js'
import type { AuditEntry, AuditQuery, Usage } from './audit.schemas.js'

/**
 * The audit log: API calls recorded by the recorder, and webhook delivery attempts read from the
 * delivery log (one source of truth for those), merged newest first into one paged list.
 */
export class AuditService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  list(principal: Principal, query: AuditQuery): Promise<ListResult<AuditEntry>> {
    return listAuditEntries(this.db, principal, query)
  }

  /** Calls per UTC day and caller over the last `days` days (today included), with names to label them. */
  async usage(principal: Principal, days: number): Promise<Usage> {
    const today = new Date(this.clock.nowMs())
    const since = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - (days - 1)))
    const rows = await usageByDay(this.db, principal, since)
    const keyIds = [...new Set(rows.flatMap((r) => (r.key_id ? [r.key_id] : [])))]
    const userIds = [...new Set(rows.flatMap((r) => (r.user_id ? [r.user_id] : [])))]
    const [keys, users] = await Promise.all([
      namesOfKeys(this.db, principal.orgId, keyIds),
      namesOfUsers(this.db, principal.orgId, userIds),
    ])
    return { object: 'usage', since: since.toISOString(), days: rows, keys, users }
  }
}
