// html-to-text ships no type declarations; these cover the functions Rapport calls.
declare module 'html-to-text' {
  export interface HtmlToTextOptions {
    wordwrap?: number | false
    selectors?: { selector: string; format?: string; options?: Record<string, unknown> }[]
  }
  export function convert(html: string, options?: HtmlToTextOptions): string
  /** Compiles the options once; the returned function converts like `convert` with them. */
  export function compile(options?: HtmlToTextOptions): (html: string) => string
}
