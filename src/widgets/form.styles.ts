/** Colours of the dark theme: `.dark`, and `.auto` when the visitor's system prefers dark. */
const DARK =
  'color-scheme:dark;--bg:#111827;--fg:#f3f4f6;--muted:#9ca3af;--edge:#374151;--line:#6b7280;--field:#1f2937;--bad:#f97066;--okbg:#14532d'

/**
 * The contact-form widget's stylesheet, adopted by its open shadow root (no inline styles: it works
 * under a strict CSP). `:host{all:initial}` stops the page's inherited styles (font, colour) at the
 * boundary; the shadow root keeps these rules from reaching the page.
 */
export const FORM_CSS = `
:host{all:initial;display:block}
.rf{color-scheme:light;--bg:#fff;--fg:#111827;--muted:#4b5563;--edge:#e5e7eb;--line:#6b7280;--field:#fff;--accent:#1f4fd1;--bad:#b42318;--okbg:#ecfdf3;--focus:#f5a623;box-sizing:border-box;max-width:560px;padding:20px;border:1px solid var(--edge);border-radius:12px;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,sans-serif;text-align:left}
.dark{${DARK}}
@media (prefers-color-scheme:dark){.auto{${DARK}}}
.t{margin:0 0 4px;font-size:20px;line-height:1.3}
.s{margin:0 0 16px;color:var(--muted)}
.f{margin:0 0 14px}
label{display:block;margin:0 0 4px;font-weight:600}
.req>label::after{content:" *"/"";color:var(--bad)}
input,textarea,select{box-sizing:border-box;width:100%;padding:8px 10px;border:1px solid var(--line);border-radius:6px;background:var(--field);color:var(--fg);font:inherit}
textarea{min-height:96px;resize:vertical}
.c{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-start}
.c input{width:18px;height:18px;margin:3px 0 0;accent-color:var(--accent)}
.c label{flex:1;margin:0;font-weight:400}
[aria-invalid=true]{border-color:var(--bad);outline:1px solid var(--bad)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.err{flex-basis:100%;margin:4px 0 0;color:var(--bad);font-size:14px}
.err:empty,.msg:empty{display:none}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.b{padding:10px 20px;border:0;border-radius:8px;background:var(--accent);color:#fff;font:inherit;font-weight:600;cursor:pointer;transition:filter .15s}
.b:hover{filter:brightness(1.12)}
.b:disabled{opacity:.65;cursor:progress}
.msg{margin:12px 0 0}
.ok{padding:12px 14px;border-radius:8px;background:var(--okbg)}
@media (prefers-reduced-motion:reduce){*{transition:none!important;animation:none!important}}
`
