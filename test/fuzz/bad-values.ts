import fc from 'fast-check'

/**
 * The bad inputs the fuzz suite draws from: each one has broken a real API somewhere (types,
 * boundaries, text PostgreSQL cannot hold, dates it cannot store, sizes, nesting).
 */
const LONE_HIGH = '\ud800'
const LONE_LOW = '\udc00'

export const BAD_STRINGS: readonly string[] = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  `a${LONE_HIGH}b`,
  LONE_LOW,
  'x'.repeat(70_000),
  'é'.repeat(300),
  '😀'.repeat(100),
  "'; drop table contacts; --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  'not-a-value',
  'NaN',
  '-1',
  '1e309',
  'c_01jd3k8m2x7q9v4b6n5t0w1y2z',
  'x'.repeat(65),
  '%00',
  '\\u0000',
]

export const BAD_DATES: readonly string[] = [
  '0000-01-01',
  '2020-02-30',
  '2021-02-29',
  '-0001-01-01',
  '10000-01-01',
  '9999-12-31T23:59:59-14:00',
  '0001-01-01T00:00:00+14:00',
  '2020-01-01T25:00:00Z',
  '2020-06-30T23:59:60Z',
  '2020-01-01T00:00:00+25:00',
  '2020-01-01T00:00:00',
  '2020-01-01 00:00:00Z',
  '1970-01-01T00:00:00Z',
  '275760-09-13T00:00:00Z',
]

export const BAD_TIME_ZONES: readonly string[] = [
  'Mars/Olympus_Mons',
  'UTC+99',
  'Etc/GMT+15',
  '',
  'America/New_York\u0000',
  'local',
]

export const BAD_NUMBERS: readonly number[] = [-1, 0, -0, 1.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, -1e308, 5e-324]

/** A value nested `depth` levels deep (objects and arrays alternating). */
export function nested(depth: number): unknown {
  let value: unknown = 1
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value }
  return value
}

export const BAD_VALUES: readonly unknown[] = [
  ...BAD_STRINGS,
  ...BAD_DATES,
  ...BAD_TIME_ZONES,
  ...BAD_NUMBERS,
  null,
  true,
  [],
  {},
  [null],
  { __proto: 1 },
  Array.from({ length: 2_000 }, (_, i) => i),
  nested(20),
  nested(200),
]

/** Text for query strings and path segments, already percent-encoded where needed. */
export const BAD_URL_TEXT: readonly string[] = [
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%E0%A4%A',
  '%',
  '%FF',
  'x'.repeat(65),
  'x'.repeat(101),
  'x'.repeat(5_000),
  '-1',
  '0',
  '99999999999999999999',
  '1.5',
  'abc',
  'eyJpZCI6IngifQ',
  '%7B%22id%22%3A1%7D',
  '..%2F..%2F',
  '%20',
  'true',
  '0000-01-01',
  '2020-02-30',
  '2020-01-01T00:00:00%2B25:00',
  'Mars%2FOlympus',
  "'%20or%201=1",
]

/** One change that makes a request bad. */
export type Mutation =
  | { kind: 'field'; pick: number; value: unknown }
  | { kind: 'drop'; pick: number }
  | { kind: 'extra'; value: unknown }
  | { kind: 'body'; raw: string }
  | { kind: 'query'; pick: number; text: string }
  | { kind: 'unknown-query'; text: string }
  | { kind: 'path'; pick: number; text: string }

const RAW_BODIES = [
  '[]',
  '"text"',
  '123',
  'null',
  '{',
  '{"a":1,}',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  JSON.stringify(nested(70)),
  `{"__proto__":{"x":1}}`,
]

/** The mutations that fit an operation, given what it takes. */
export function mutationArbitrary(op: { hasBody: boolean; queryCount: number; pathCount: number }) {
  const pick = fc.nat({ max: 1_000 })
  const value = fc.constantFrom(...BAD_VALUES)
  const urlText = fc.constantFrom(...BAD_URL_TEXT)
  const options: fc.Arbitrary<Mutation>[] = []
  if (op.hasBody) {
    options.push(
      fc.record({ kind: fc.constant('field' as const), pick, value }),
      fc.record({ kind: fc.constant('field' as const), pick, value }),
      fc.record({ kind: fc.constant('drop' as const), pick }),
      fc.record({ kind: fc.constant('extra' as const), value }),
      fc.record({ kind: fc.constant('body' as const), raw: fc.constantFrom(...RAW_BODIES) }),
    )
  }
  if (op.queryCount > 0) {
    options.push(
      fc.record({ kind: fc.constant('query' as const), pick, text: urlText }),
      fc.record({ kind: fc.constant('query' as const), pick, text: urlText }),
    )
  }
  options.push(fc.record({ kind: fc.constant('unknown-query' as const), text: urlText }))
  if (op.pathCount > 0) options.push(fc.record({ kind: fc.constant('path' as const), pick, text: urlText }))
  return fc.oneof(...options)
}
