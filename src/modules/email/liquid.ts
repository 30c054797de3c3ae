import { Liquid, LiquidError } from 'liquidjs'

/** A rendered part may be at most this long; a template that loops to produce more fails. */
export const MAX_RENDERED_CHARS = 1_000_000

/**
 * Liquid with no way out: `templates: {}` replaces the file system, so `include`, `render` and
 * `layout` find nothing; only own properties of the variables are readable (no prototype walks);
 * parsing, rendering time and allocations are bounded, so no template can stall a worker.
 */
const options = {
  templates: {},
  ownPropertyOnly: true,
  strictFilters: true,
  parseLimit: 1_000_000,
  renderLimit: 1000,
  memoryLimit: 20_000_000,
} as const
/** HTML parts: every `{{ value }}` is HTML-escaped (a contact named `<script>` stays text). */
const htmlEngine = new Liquid({ ...options, outputEscape: 'escape' })
const textEngine = new Liquid(options)

export class TemplateError extends Error {}

function engineFor(kind: 'html' | 'text') {
  return kind === 'html' ? htmlEngine : textEngine
}

/** Throws TemplateError with Liquid's message when `source` does not parse. */
export function checkTemplate(source: string, kind: 'html' | 'text'): void {
  try {
    engineFor(kind).parse(source)
  } catch (err) {
    throw new TemplateError(err instanceof LiquidError ? err.message : String(err))
  }
}

/** Renders `source` with `variables`; TemplateError on a syntax error, a limit reached or an oversized result. */
export async function renderTemplate(
  source: string,
  kind: 'html' | 'text',
  variables: Record<string, unknown>,
): Promise<string> {
  let out: string
  try {
    const engine = engineFor(kind)
    out = await engine.render(engine.parse(source), variables)
  } catch (err) {
    throw new TemplateError(err instanceof LiquidError ? err.message : String(err))
  }
  if (out.length > MAX_RENDERED_CHARS) {
    throw new TemplateError(`renders to more than ${MAX_RENDERED_CHARS} characters`)
  }
  return out
}

/** Parses `source` once for many renders (a campaign batch); same limits and errors as renderTemplate. */
export function compileTemplate(
  source: string,
  kind: 'html' | 'text',
): (variables: Record<string, unknown>) => Promise<string> {
  const engine = engineFor(kind)
  let parsed: ReturnType<typeof engine.parse>
  try {
    parsed = engine.parse(source)
  } catch (err) {
    throw new TemplateError(err instanceof LiquidError ? err.message : String(err))
  }
  return async (variables) => {
    let out: string
    try {
      out = await engine.render(parsed, variables)
    } catch (err) {
      throw new TemplateError(err instanceof LiquidError ? err.message : String(err))
    }
    if (out.length > MAX_RENDERED_CHARS)
      throw new TemplateError(`renders to more than ${MAX_RENDERED_CHARS} characters`)
    return out
  }
}
