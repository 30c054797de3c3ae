import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { eventCatalog } from '../src/event-catalog.js'

/** One stored event whose `data` does not match its catalog schema, or whose type is not in it. */
export interface EventMismatch {
  id: string
  type: string
  problems: string[]
}

const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, useDefaults: false })
addFormats.default(ajv)
const validators = new Map<string, ValidateFunction>()

function validatorOf(type: string): ValidateFunction | undefined {
  const known = validators.get(type)
  if (known) return known
  const definition = eventCatalog.definitionOf(type)
  if (!definition) return undefined
  // The schema as published (GET /api/v1/event_types): plain JSON, no TypeBox symbols.
  const validate = ajv.compile(JSON.parse(JSON.stringify(definition.data)))
  validators.set(type, validate)
  return validate
}

/** Checks stored events against the schemas the catalog publishes; returns the ones that differ. */
export function mismatchedEvents(rows: readonly { id: string; type: string; data: unknown }[]): EventMismatch[] {
  const mismatches: EventMismatch[] = []
  for (const row of rows) {
    const validate = validatorOf(row.type)
    if (!validate) {
      mismatches.push({ id: row.id, type: row.type, problems: ['not an event of the catalog'] })
      continue
    }
    if (validate(row.data)) continue
    mismatches.push({
      id: row.id,
      type: row.type,
      problems: (validate.errors ?? []).map((e) => `data${e.instancePath} ${e.message ?? 'is invalid'}`),
    })
  }
  return mismatches
}

/** A readable report of mismatches, one line per event. */
export function describeMismatches(mismatches: readonly EventMismatch[]): string {
  return mismatches.map((m) => `${m.type} ${m.id}: ${m.problems.join('; ')}`).join('\n')
}
