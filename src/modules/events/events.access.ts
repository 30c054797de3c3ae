import type { Principal, Scope } from '../../core/tenancy.js'
import type { EventCatalog } from '../../outbox/define.js'

/**
 * Event types about what a scope guards: webhook endpoints (their URLs, test sends, why one was
 * disabled) are read with the `webhooks` scope, which members do not hold (ROLE_SCOPES). Every
 * other event is about CRM data that the `read` scope reads, so members receive it.
 */
const GUARDED: readonly { prefix: string; scope: Scope }[] = [
  { prefix: 'webhook.', scope: 'webhooks' },
  { prefix: 'webhook_endpoint.', scope: 'webhooks' },
]

/** The catalog's event types this caller may not read: left out of the event list, get and stream. */
export function hiddenEventTypes(catalog: EventCatalog, principal: Principal): string[] {
  const missing = GUARDED.filter((g) => !principal.scopes.includes(g.scope))
  if (missing.length === 0) return []
  return catalog.names.filter((name) => missing.some((g) => name.startsWith(g.prefix)))
}
