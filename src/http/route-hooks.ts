/**
 * A route option's hooks as an array (Fastify takes one function or several), so that an `onRoute`
 * hook can append one: hooks that concern a few routes are attached to those routes only, and the
 * others never pay for a call that would return at once.
 */
// biome-ignore lint/suspicious/noExplicitAny: route hooks of every kind
export function hooksOf(hooks: any): any[] {
  if (!hooks) return []
  return Array.isArray(hooks) ? hooks : [hooks]
}
