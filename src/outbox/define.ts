import Type, { type Static, type TSchema } from 'typebox'

/**
 * One webhook event as its module declares it: the dotted name integrators subscribe to, the JSON
 * Schema of its `data` (built from the module's own schemas), the names other CRMs use for it
 * (accepted in subscription filters), when it is emitted, and an example payload. `emit` takes a
 * definition and type-checks `data` against `data`'s static type.
 */
export interface EventDefinition<Name extends string = string, Data extends TSchema = TSchema> {
  readonly name: Name
  readonly description: string
  readonly data: Data
  readonly aliases: readonly string[]
  readonly example?: Static<Data>
}

/**
 * Declares an event (see docs/webhooks.md, "Declaring an event"). The example, when given, is
 * published as the schema's `examples`, the way every API schema carries one.
 */
export function defineEvent<const Name extends string, Data extends TSchema>(definition: {
  name: Name
  description: string
  data: Data
  aliases?: readonly string[]
  example?: Static<Data>
}): EventDefinition<Name, Data> {
  const { example } = definition
  const data = example === undefined ? definition.data : ({ ...definition.data, examples: [example] } as Data)
  return {
    name: definition.name,
    description: definition.description,
    data,
    aliases: definition.aliases ?? [],
    ...(example === undefined ? {} : { example }),
  }
}

/** The payload type of an event definition: what `emit` accepts as its `data`. */
export type EventData<D extends EventDefinition> = Static<D['data']>

/**
 * The catalog: every module's definitions composed in one place (src/event-catalog.ts), in the
 * order `GET /api/v1/event_types` and OpenAPI's `webhooks` list them.
 */
export interface EventCatalog {
  readonly definitions: readonly EventDefinition[]
  readonly names: readonly string[]
  /** The definition of a catalog name; undefined for an alias or an unknown name. */
  definitionOf(name: string): EventDefinition | undefined
  /** The catalog names a name or an alias stands for; undefined when neither. `*` stays `*`. */
  namesOf(name: string): string[] | undefined
}

/** Composes the catalog; a name declared twice, or an alias equal to a name, is a programming error. */
export function composeCatalog(definitions: readonly EventDefinition[]): EventCatalog {
  const byName = new Map<string, EventDefinition>()
  for (const d of definitions) {
    if (byName.has(d.name)) throw new Error(`Event ${d.name} is declared twice`)
    byName.set(d.name, d)
  }
  const aliases = new Map<string, string[]>()
  for (const d of definitions) {
    for (const alias of d.aliases) {
      if (byName.has(alias)) throw new Error(`Alias ${alias} of ${d.name} is an event name`)
      aliases.set(alias, [...(aliases.get(alias) ?? []), d.name])
    }
  }
  return {
    definitions,
    names: definitions.map((d) => d.name),
    definitionOf: (name) => byName.get(name),
    namesOf(name) {
      if (name === '*') return ['*']
      if (byName.has(name)) return [name]
      return aliases.get(name)
    },
  }
}

// Building blocks of payload schemas, shared by the modules' event declarations.

/** A public id field, with an example. */
export const eventId = (example: string, description = 'Id of the object') =>
  Type.String({ description, examples: [example] })
/** A date-time field (ISO 8601). */
export const eventAt = (description: string) => Type.String({ format: 'date-time', description })
/** `schema` or null. */
export const nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()])
/** The `changes` of an `*.updated` event: each changed field with its new value. */
export const eventChanges = Type.Record(Type.String(), Type.Unknown(), {
  description: 'Each changed field with its new value',
})
/** The data of an `*.updated` event: `{id, changes}` (built with `updatedData`). */
export const updatedEventData = (example: string) => Type.Object({ id: eventId(example), changes: eventChanges })
/** An `*.updated` event: its data is `{id, changes}`. */
export type UpdatedEvent = EventDefinition<string, ReturnType<typeof updatedEventData>>
/**
 * Money in event payloads is a JSON number in major units (12000 for twelve thousand dollars), as
 * other CRMs' webhooks send it, with the currency beside it. The API keeps its own exact form (a
 * decimal string for deals, integer minor units for invoices): a number prints as the exact decimal
 * up to 15 significant digits, and that API form is the one to compute with beyond.
 */
export const eventMoney = (description: string) =>
  Type.Number({ description: `${description}, in major units (a JSON number)`, examples: [12000] })
export const eventCurrency = Type.String({ description: 'ISO 4217 code of the amounts', examples: ['USD'] })
