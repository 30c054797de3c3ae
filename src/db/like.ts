/** `%`, `_` and `\` are special in LIKE: text searched for must match them literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** A LIKE pattern matching values that contain `text`. */
export function likePattern(text: string): string {
  return `%${escapeLike(text)}%`
}

/** A LIKE pattern matching values that start with `text`. */
export function prefixPattern(text: string): string {
  return `${escapeLike(text)}%`
}
