// html-to-text ships no type declarations; these cover the one function Rapport calls.
declare module 'html-to-text' {
  export interface HtmlToTextOptions {
    wordwrap?: number | false
    selectors?: { selector: string; format?: string; options?: Record<string, unknown> }[]
  }
  export function convert(html: string, options?: HtmlToTextOptions): string
}
