import { actingUserId, type Principal } from '../core/tenancy.js'

/**
 * Who did it, for every `*_by` field (`completed_by`, `imported_by`, …) of events and objects: the
 * person when there is one (the signed-in dashboard user, or the user who created the API key),
 * else the API key itself (an operator's key has no person behind it). A `user_…` id or a `key_…` id.
 */
export function actorId(principal: Principal): string {
  return actingUserId(principal) ?? principal.keyId
}
