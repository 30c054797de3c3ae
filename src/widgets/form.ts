/**
 * The contact-form widget, served as /widget/form.js (bundled by esbuild, see
 * src/modules/leads/widget/). Where its script tag stands (`data-key` or `data-api-key`, optional
 * `data-form`, `data-theme`, `data-title`, `data-subtitle`) it renders the form's public definition;
 * `RapportForm.render(target, {key (or apiKey), form, theme, title, subtitle})` does the same from
 * code. A secret key (`rk_…`) is never sent: the visitor sees a neutral message, the console why. A
 * stored submission is announced on `window` as `rapport:form-submitted`, a failure as
 * `rapport:form-error`. See docs/lead-capture.md.
 *
 * Strict-CSP friendly: no eval, no inline styles, the DOM built with textContent only; styled by a
 * constructable stylesheet adopted by an open shadow root. Must stay under 5 KB gzipped (a test checks).
 */
import { FORM_CSS } from './form.styles.js'
import { call, type Failure, failureOf, loadForm, type PublicForm, sleep } from './form-api.js'
import { contactEmailKey, problemOf } from './form-validation.js'

interface RenderOptions {
  key?: string
  /** The same as `key` (the name other form widgets use). */
  apiKey?: string
  form?: string
  theme?: string
  title?: string
  subtitle?: string
}

declare global {
  interface Window {
    RapportForm?: { render(target: string | Element, options: RenderOptions): Promise<{ formId: string }> }
  }
}

const SCRIPT_PATH = '/widget/form.js'

/** The tag that loaded this file: Rapport's origin is its URL's. */
const script = (document.currentScript ??
  document.querySelector(`script[src*="${SCRIPT_PATH}"]`)) as HTMLScriptElement | null
const rapportOrigin = script ? new URL(script.src, location.href).origin : location.origin

const emit = (type: string, detail: object) => window.dispatchEvent(new CustomEvent(`rapport:${type}`, { detail }))

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, parent: Node): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  node.className = className
  parent.appendChild(node)
  return node
}

let sheet: CSSStyleSheet | undefined
/** A shadow host appended to `parent`, and the themed box inside it. */
function mount(parent: Element, theme: string | undefined): HTMLDivElement {
  const host = el('div', '', parent)
  host.setAttribute('data-rapport-form', '')
  const root = host.attachShadow({ mode: 'open' })
  if (!sheet) {
    sheet = new CSSStyleSheet()
    sheet.replaceSync(FORM_CSS)
  }
  root.adoptedStyleSheets = [sheet]
  return el('div', `rf ${theme === 'light' || theme === 'dark' ? theme : 'auto'}`, root)
}

const randomKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16)).join('')

/** What browsers may fill in, by field type (or by key, for text fields). */
const AUTOCOMPLETE: Record<string, AutoFill> = { email: 'email', phone: 'tel', name: 'name', company: 'organization' }

const SUMMARY = 'Please check the highlighted fields.'
const VISITOR_MESSAGES: Record<string, string> = {
  validation_failed: SUMMARY,
  network: 'We could not reach the server. Please check your connection and try again.',
  rate_limited: 'Too many attempts. Please wait a minute and try again.',
}

async function render(target: string | Element, options: RenderOptions): Promise<{ formId: string }> {
  const parent = typeof target === 'string' ? document.querySelector(target) : target
  if (!parent) throw new Error(`RapportForm: no element matches ${target}`)
  const key = options?.key || options?.apiKey
  if (!key) throw new Error('RapportForm: a publishable key is required (key: "pk_live_…")')
  if (/^rk_/.test(key)) {
    const failure = Object.assign(
      new Error(
        `RapportForm: this page holds a SECRET key (${key.slice(0, 8)}…), readable by every visitor, so it is not used. Put a publishable key (pk_live_…, created with POST /api/v1/api_keys {"type":"publishable","allowed_origins":["${location.origin}"]}) in data-key, and revoke this secret key now.`,
      ),
      { code: 'secret_key', details: [] },
    )
    emit('form-error', { formId: options.form || 'default', code: failure.code, message: failure.message })
    throw failure
  }
  let form: PublicForm
  try {
    form = await loadForm(rapportOrigin, key, options.form || 'default')
  } catch (err) {
    emit('form-error', {
      formId: options.form || 'default',
      code: (err as Failure).code,
      message: (err as Error).message,
    })
    throw err
  }
  let loadedAtMs = Date.now()
  const box = mount(parent, options.theme)
  const title = options.title ?? form.name
  const formEl = document.createElement('form')
  if (title) {
    const heading = el('h2', 't', box)
    heading.id = 'rf-title'
    heading.textContent = title
    formEl.setAttribute('aria-labelledby', heading.id)
  } else {
    formEl.setAttribute('aria-label', form.name)
  }
  if (options.subtitle) el('p', 's', box).textContent = options.subtitle
  box.appendChild(formEl)
  formEl.noValidate = true
  const live = el('p', 'msg', box)
  live.setAttribute('role', 'status')
  live.tabIndex = -1
  const say = (text: string, className = 'msg') => {
    live.className = className
    live.textContent = text
  }

  const emailKey = contactEmailKey(form.fields)
  const controls = form.fields.map((field, i) => {
    const isCheck = field.type === 'checkbox' || field.type === 'consent'
    const row = el('div', `f${isCheck ? ' c' : ''}${field.required ? ' req' : ''}`, formEl)
    const label = document.createElement('label')
    let input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement
    if (field.type === 'textarea') {
      input = document.createElement('textarea')
      input.rows = 4
    } else if (field.type === 'select') {
      input = document.createElement('select')
      for (const option of ['', ...(field.options ?? [])]) {
        const choice = el('option', '', input)
        choice.value = option
        choice.textContent = option || 'Choose…'
      }
    } else {
      input = document.createElement('input')
      input.type = isCheck ? 'checkbox' : field.type === 'phone' ? 'tel' : field.type === 'email' ? 'email' : 'text'
      const autocomplete = AUTOCOMPLETE[field.type === 'text' ? field.key : field.type]
      if (autocomplete) input.autocomplete = autocomplete
    }
    input.id = label.htmlFor = `rf-${i}`
    input.name = field.key
    input.required = field.required
    label.textContent = field.label
    row.append(...(isCheck ? [input, label] : [label, input]))
    const error = el('p', 'err', row)
    error.id = `rf-${i}-error`
    input.setAttribute('aria-describedby', error.id)
    const value = () =>
      input instanceof HTMLInputElement && isCheck
        ? input.checked
        : field.type === 'select'
          ? input.value
          : input.value.trim()
    const mark = (message?: string) => {
      error.textContent = message ?? ''
      if (message) input.setAttribute('aria-invalid', 'true')
      else input.removeAttribute('aria-invalid')
    }
    // Once marked, a field is checked again as the visitor corrects it.
    input.addEventListener('change', () => {
      if (input.hasAttribute('aria-invalid')) mark(problemOf(field, value(), emailKey))
    })
    return { field, input, value, mark }
  })

  // The honeypot: off-screen (not display:none, which bots skip), out of the tab order, hidden from assistive tech.
  const trapRow = el('div', 'hp', formEl)
  trapRow.setAttribute('aria-hidden', 'true')
  const trapLabel = el('label', '', trapRow)
  trapLabel.textContent = 'Leave this empty'
  const trap = el('input', '', trapRow)
  trap.id = trapLabel.htmlFor = 'rf-hp'
  trap.name = form.honeypot
  trap.tabIndex = -1
  trap.autocomplete = 'off'

  const button = el('button', 'b', formEl)
  button.textContent = 'Send'

  /** Shows each message beside its field; focuses the first; says whether any was shown. */
  const showProblems = (problems: Record<string, string>) => {
    let first: HTMLElement | undefined
    for (const c of controls) {
      const message = problems[c.field.key]
      c.mark(message)
      if (message) first ??= c.input
    }
    first?.focus()
    return !!first
  }

  let idempotencyKey = ''
  let lastBody = ''
  let sending = false
  formEl.addEventListener('submit', async (event) => {
    event.preventDefault()
    if (sending) return
    const data: Record<string, string | boolean> = {}
    const problems: Record<string, string> = {}
    for (const c of controls) {
      const value = c.value()
      data[c.field.key] = value
      const problem = problemOf(c.field, value, emailKey)
      if (problem) problems[c.field.key] = problem
    }
    data[form.honeypot] = trap.value
    if (showProblems(problems)) {
      say(SUMMARY)
      emit('form-error', { formId: form.id, code: 'validation_failed', message: SUMMARY, fields: problems })
      return
    }
    sending = button.disabled = true
    formEl.setAttribute('aria-busy', 'true')
    say('Sending…')
    const page = location.href.split('#')[0]!
    try {
      for (let tokenRenewed = false; ; tokenRenewed = true) {
        const body = JSON.stringify({
          data,
          token: form.token,
          ...(/^https?:/.test(page) ? { source_url: page.slice(0, 2000) } : {}),
        })
        // One key per sequence of attempts of one body: a retry or a second click stores one response.
        if (body !== lastBody) {
          lastBody = body
          idempotencyKey = randomKey()
        }
        await sleep(loadedAtMs + form.min_fill_ms - Date.now())
        const res = await call(
          `${rapportOrigin}/api/v1/forms/${form.id}/submissions`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-api-key': key, 'idempotency-key': idempotencyKey },
            body,
          },
          () => say('Connection problem, retrying…'),
        )
        if (res.ok) {
          const answer = await res.json()
          emit('form-submitted', { formId: form.id, responseId: answer.id })
          const redirect = answer.redirect_url ?? form.redirect_url
          if (redirect && /^https?:/i.test(redirect)) return location.assign(redirect)
          formEl.remove()
          say(answer.success_message ?? form.success_message ?? 'Thank you! Your message has been sent.', 'msg ok')
          return live.focus()
        }
        // The server answered: the next attempt is a new sequence, with a new key.
        lastBody = ''
        const failure = await failureOf(res)
        if (tokenRenewed || !failure.details?.some((d) => d.field === 'token')) throw failure
        // An expired token: fetch a fresh one and send again.
        form.token = (await loadForm(rapportOrigin, key, form.id)).token
        loadedAtMs = Date.now()
      }
    } catch (err) {
      const failure = err as Failure
      const fields: Record<string, string> = {}
      for (const d of failure.details ?? []) if (d.field.startsWith('data.')) fields[d.field.slice(5)] = d.message
      say(
        showProblems(fields)
          ? SUMMARY
          : (VISITOR_MESSAGES[failure.code] ?? 'Sorry, your message could not be sent. Please try again later.'),
      )
      emit('form-error', { formId: form.id, code: failure.code, message: failure.message, fields })
    } finally {
      sending = button.disabled = false
      formEl.removeAttribute('aria-busy')
    }
  })
  return { formId: form.id }
}

window.RapportForm ??= { render }

const tag = script?.dataset
if (tag?.key || tag?.apiKey) {
  const slot = document.createElement('div')
  script!.before(slot)
  // The tag's data-key (or data-api-key), data-form, data-theme, data-title and data-subtitle are the options.
  render(slot, tag as DOMStringMap & RenderOptions).catch((err: Failure) => {
    if (err.code === 'secret_key') console.error(err.message)
    else console.warn(err.message)
    mount(slot, tag.theme).textContent = 'This form is not available right now. Please try again later.'
  })
}
