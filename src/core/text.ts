const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** A high surrogate not followed by a low one, or a low one not preceded by a high one: not text. */
export function hasLoneSurrogate(s: string): boolean {
  return LONE_SURROGATE.test(s)
}

/** What is wrong with a piece of text PostgreSQL would be asked to store or compare, if anything. */
export function textProblem(s: string): string | undefined {
  if (s.includes('\u0000')) return 'Must not contain NUL characters'
  if (hasLoneSurrogate(s)) return 'Must not contain unpaired UTF-16 surrogates'
  return undefined
}
