import Type, { type Static } from 'typebox'
import { ApiError } from '../../core/errors.js'
import { assertIfMatch } from '../../core/preconditions.js'
import type { Principal } from '../../core/tenancy.js'
import type { Db, Executor } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import {
  type Availability,
  assertNoErrors,
  DateOverride,
  validateAvailability,
  WeeklyRule,
} from '../../slot-engine/index.js'
import { findHostTimezone } from '../users/users.repo.js'
import { loadAvailability, type StoredAvailability, saveAvailability } from './availability.repo.js'
import { assertLive } from './event-types.service.js'

export const HostAvailability = Type.Object(
  {
    object: Type.Literal('availability', { description: 'Always `availability`' }),
    user_id: Type.String({ description: 'The host', examples: ['user_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    timezone: Type.String({
      description: "The host's time zone (from the user): the one the ranges are written in",
      examples: ['Europe/Paris'],
    }),
    weekly: Type.Array(WeeklyRule, { description: 'Weekly working ranges in the host time zone' }),
    overrides: Type.Array(DateOverride, {
      description: 'Dates whose ranges replace the weekly rules for that date',
    }),
    updated_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'When it was last set; null while the host has none (and so offers no slots)',
    }),
  },
  { description: "A host's bookable hours" },
)
export type HostAvailability = Static<typeof HostAvailability>

/** At most this many date overrides (the engine's schema says so; the body is checked by the engine's validator). */
const MAX_OVERRIDES = 500

export class AvailabilityService {
  constructor(private readonly db: Db) {}

  private async host(executor: Executor, orgId: string, userId: string, forUpdate = false) {
    const host = await findHostTimezone(executor, orgId, userId, { forUpdate })
    if (!host) throw new ApiError('not_found', `User ${userId} not found`)
    return host
  }

  async get(principal: Principal, userId: string): Promise<HostAvailability> {
    const host = await this.host(this.db, principal.orgId, userId)
    return present(host, await loadAvailability(this.db, userId))
  }

  /**
   * Replaces the host's availability. The body is checked by the engine's validator, which names
   * every problem (`weekly[2].end`, `overrides[0].ranges[1].start`). Honours If-Match.
   */
  async put(principal: Principal, userId: string, body: unknown, opts: { ifMatch?: string } = {}) {
    assertLive(principal, 'Availabilities')
    const errors = validateAvailability(body)
    const overrides = (body as { overrides?: unknown })?.overrides
    if (Array.isArray(overrides) && overrides.length > MAX_OVERRIDES)
      errors.push({ field: 'overrides', message: `At most ${MAX_OVERRIDES} overrides` })
    assertNoErrors(errors)
    const input = body as Availability
    return inTransaction(this.db, async (tx) => {
      // The host row is the lock every booking of this host takes too.
      const host = await this.host(tx, principal.orgId, userId, true)
      assertIfMatch(opts.ifMatch, present(host, await loadAvailability(tx, userId)))
      return present(host, await saveAvailability(tx, principal.orgId, userId, input))
    })
  }
}

function present(host: { id: string; timezone: string }, stored: StoredAvailability): HostAvailability {
  return {
    object: 'availability',
    user_id: host.id,
    timezone: host.timezone,
    weekly: stored.weekly,
    overrides: stored.overrides,
    updated_at: stored.updated_at ? stored.updated_at.toISOString() : null,
  }
}
