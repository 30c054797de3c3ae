/**
 * The API reference at /docs, in the browser. It reads the OpenAPI document the server publishes
 * (/api/v1/openapi.json: compressed, revalidated by ETag) and draws only what is open: the tag
 * list first, a tag's operations when the tag is opened, an operation's parameters, schemas and
 * "Try it" form when the operation is opened. Example values are shown (in text and as input
 * placeholders), never sent: an empty input sends nothing. Requests go to the page's own origin.
 */

type Json = Record<string, unknown>

interface Operation {
  method: string
  path: string
  op: Json
  id: string
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete']
const KEY_STORAGE = 'rapport-docs-key'
const MAX_DEPTH = 6

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

function escapeHtml(text: unknown): string {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** The few Markdown forms the descriptions use: paragraphs, `- ` lists, `code`, **bold** and links. */
function markdown(text: unknown): string {
  if (typeof text !== 'string' || text === '') return ''
  const inline = (s: string) =>
    escapeHtml(s)
      .replace(/`([^`]+)`/g, '<code>$1</code>')
      .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
      .replace(/\[([^\]]+)\]\(((?:https?:\/\/|\/|#)[^)\s]*)\)/g, '<a href="$2">$1</a>')
  return text
    .split(/\n{2,}/)
    .map((block) => {
      const lines = block.split('\n')
      if (lines.every((l) => /^\s*[-*] /.test(l))) {
        return `<ul>${lines.map((l) => `<li>${inline(l.replace(/^\s*[-*] /, ''))}</li>`).join('')}</ul>`
      }
      return `<p>${inline(block)}</p>`
    })
    .join('')
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-')

let doc: Json = {}

/** Follows a local `#/…` reference (once; callers loop through chains). */
function deref(node: unknown): Json {
  if (!isObject(node)) return {}
  if (typeof node.$ref !== 'string') return node
  let target: unknown = doc
  for (const part of node.$ref.replace(/^#\//, '').split('/')) {
    target = isObject(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined
  }
  return isObject(target) ? deref(target) : {}
}

const refName = (node: unknown) =>
  isObject(node) && typeof node.$ref === 'string' ? node.$ref.split('/').pop() : undefined

function exampleOf(schema: unknown, depth = 0): unknown {
  const s = deref(schema)
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0]
  if ('example' in s) return s.example
  if ('const' in s) return s.const
  if ('default' in s) return s.default
  if (depth > MAX_DEPTH) return undefined
  const variants = (s.anyOf ?? s.oneOf) as unknown[] | undefined
  if (Array.isArray(variants)) {
    const first = variants.find((v) => deref(v).type !== 'null')
    return first === undefined ? null : exampleOf(first, depth + 1)
  }
  if (Array.isArray(s.allOf)) return Object.assign({}, ...s.allOf.map((p) => exampleOf(p, depth + 1) ?? {}))
  if (Array.isArray(s.enum)) return s.enum[0]
  if (s.type === 'array') {
    const item = exampleOf(s.items, depth + 1)
    return item === undefined ? [] : [item]
  }
  if (s.type === 'object' || isObject(s.properties)) {
    const out: Json = {}
    for (const [name, prop] of Object.entries((s.properties ?? {}) as Json)) {
      const value = exampleOf(prop, depth + 1)
      if (value !== undefined) out[name] = value
    }
    return out
  }
  return undefined
}

function typeLabel(schema: unknown): string {
  const s = deref(schema)
  const name = refName(schema)
  if (Array.isArray(s.enum)) return `enum: ${s.enum.map((v) => JSON.stringify(v)).join(' | ')}`
  if ('const' in s) return `= ${JSON.stringify(s.const)}`
  const variants = (s.anyOf ?? s.oneOf) as unknown[] | undefined
  if (Array.isArray(variants)) return variants.map(typeLabel).join(' or ')
  const types = Array.isArray(s.type) ? s.type.join(' or ') : typeof s.type === 'string' ? s.type : 'object'
  if (s.type === 'array') return `array of ${typeLabel(s.items)}`
  const format = typeof s.format === 'string' ? ` (${s.format})` : ''
  return name && types === 'object' ? name : `${types}${format}`
}

/** Constraints worth reading: length, range, pattern, default. */
function constraints(s: Json): string {
  const parts: string[] = []
  if (s.minLength !== undefined || s.maxLength !== undefined) {
    parts.push(`length ${s.minLength ?? 0}–${s.maxLength ?? '∞'}`)
  }
  if (s.minimum !== undefined || s.maximum !== undefined) parts.push(`${s.minimum ?? '−∞'} to ${s.maximum ?? '∞'}`)
  if (s.maxItems !== undefined) parts.push(`at most ${s.maxItems} items`)
  if ('default' in s) parts.push(`default ${JSON.stringify(s.default)}`)
  return parts.length ? `<span class="muted">${escapeHtml(parts.join(', '))}</span>` : ''
}

/** Lazily drawn `<details>`: the body is made the first time it is opened. */
const lazyBodies = new Map<string, () => string>()
let lazyCount = 0
function lazyDetails(summary: string, body: () => string, attrs = ''): string {
  const key = `l${lazyCount++}`
  lazyBodies.set(key, body)
  return `<details data-lazy="${key}" ${attrs}><summary>${summary}</summary></details>`
}

function fillLazy(details: HTMLDetailsElement) {
  const key = details.dataset.lazy
  const body = key && lazyBodies.get(key)
  if (!key || !body) return
  lazyBodies.delete(key)
  details.insertAdjacentHTML('beforeend', `<div class="body">${body()}</div>`)
}

/** An object's fields (or an array's items, or the variants of a union), nested ones folded. */
function schemaHtml(schema: unknown, depth = 0): string {
  const s = deref(schema)
  if (depth > MAX_DEPTH) return '<p class="muted">…</p>'
  const variants = (s.anyOf ?? s.oneOf) as unknown[] | undefined
  if (Array.isArray(variants)) {
    const nonNull = variants.filter((v) => deref(v).type !== 'null')
    if (nonNull.length === 1) return schemaHtml(nonNull[0], depth)
    return `<ol class="variants">${nonNull
      .map((v) => `<li>${escapeHtml(typeLabel(v))}${schemaHtml(v, depth + 1)}</li>`)
      .join('')}</ol>`
  }
  if (s.type === 'array') return isObject(deref(s.items).properties) ? schemaHtml(s.items, depth) : ''
  const properties = (s.properties ?? {}) as Json
  if (Object.keys(properties).length === 0) return ''
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : [])
  const rows = Object.entries(properties).map(([name, prop]) => {
    const p = deref(prop)
    const example = exampleOf(prop)
    const head =
      `<code class="field">${escapeHtml(name)}</code> <span class="type">${escapeHtml(typeLabel(prop))}</span>` +
      (required.has(name) ? ' <span class="required">required</span>' : '')
    const text =
      markdown(p.description) +
      constraints(p) +
      (example !== undefined && !isObject(example) && !Array.isArray(example)
        ? `<p class="example">Example: <code>${escapeHtml(JSON.stringify(example))}</code></p>`
        : '')
    const inner = p.type === 'array' ? deref(p.items) : p
    const nested = isObject(inner.properties) || Array.isArray(inner.anyOf) || Array.isArray(inner.oneOf)
    return `<li>${head}${text}${nested ? lazyDetails('fields', () => schemaHtml(prop, depth + 1), 'class="nested"') : ''}</li>`
  })
  return `<ul class="fields">${rows.join('')}</ul>`
}

function mediaExample(media: Json): unknown {
  if ('example' in media) return media.example
  if (isObject(media.examples)) {
    const first = Object.values(media.examples)[0]
    if (isObject(first) && 'value' in first) return first.value
  }
  return exampleOf(media.schema)
}

const pretty = (value: unknown) => JSON.stringify(value, null, 2)

function parametersOf(operation: Operation): Json[] {
  const item = deref((doc.paths as Json)[operation.path])
  const all = [...((item.parameters as unknown[]) ?? []), ...((operation.op.parameters as unknown[]) ?? [])]
  return all.map(deref)
}

function paramExample(p: Json): unknown {
  if ('example' in p) return p.example
  if (isObject(p.examples)) {
    const first = Object.values(p.examples)[0]
    if (isObject(first) && 'value' in first) return first.value
  }
  const s = deref(p.schema)
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0]
  return s.example
}

function operationHtml(operation: Operation): string {
  const { op } = operation
  const params = parametersOf(operation)
  const paramRows = params
    .map((p, i) => {
      const example = paramExample(p)
      const hint = example ?? deref(p.schema).default
      const placeholder = hint === undefined ? '' : typeof hint === 'string' ? hint : JSON.stringify(hint)
      return `<tr data-param-name="${escapeHtml(p.name)}" data-in="${escapeHtml(p.in)}">
        <td><code>${escapeHtml(p.name)}</code>${p.required ? ' <span class="required">required</span>' : ''}<br><span class="muted">${escapeHtml(p.in)}</span></td>
        <td><span class="type">${escapeHtml(typeLabel(p.schema))}</span>${markdown(p.description)}${constraints(deref(p.schema))}${
          example === undefined
            ? ''
            : `<p class="example">Example: <code>${escapeHtml(typeof example === 'string' ? example : JSON.stringify(example))}</code></p>`
        }</td>
        <td><input name="p${i}" aria-label="${escapeHtml(p.name)}" placeholder="${escapeHtml(placeholder)}" ${p.required ? 'required' : ''}></td>
      </tr>`
    })
    .join('')
  const body = deref(op.requestBody)
  const content = (body.content ?? {}) as Json
  const bodyType = Object.keys(content)[0]
  const bodyMedia = bodyType ? deref(content[bodyType]) : {}
  const bodyExample = bodyType?.includes('json') ? mediaExample(bodyMedia) : undefined
  const responses = Object.entries((op.responses ?? {}) as Json).map(([status, r]) => {
    const response = deref(r)
    const [type, media] = Object.entries((response.content ?? {}) as Json)[0] ?? []
    const summary = `<span class="status s${status[0]}">${escapeHtml(status)}</span> ${escapeHtml(response.description ?? '')}`
    if (!type) return `<div class="response">${summary}</div>`
    return lazyDetails(
      summary,
      () => {
        const m = deref(media)
        const example = type.includes('json') ? mediaExample(m) : undefined
        return (
          `<p class="muted">${escapeHtml(type)}</p>${schemaHtml(m.schema)}` +
          (example === undefined ? '' : `<p>Example</p><pre>${escapeHtml(pretty(example))}</pre>`)
        )
      },
      'class="response"',
    )
  })
  const security = Array.isArray(op.security) ? op.security : (doc.security as unknown[] | undefined)
  const needsAuth = Array.isArray(security) && security.some((s) => isObject(s) && Object.keys(s).length > 0)
  return `
    ${markdown(op.description)}
    <p class="muted">Operation <code>${escapeHtml(operation.id)}</code>${needsAuth ? ' · needs an API key (set it at the top of the page)' : ''}</p>
    <form class="try" data-op="${escapeHtml(operation.id)}">
      ${paramRows ? `<h4>Parameters</h4><table class="params"><thead><tr><th>name</th><th>description</th><th>value to send</th></tr></thead><tbody>${paramRows}</tbody></table>` : ''}
      ${
        bodyType
          ? `<h4>Request body <span class="muted">${escapeHtml(bodyType)}${body.required ? ', required' : ''}</span></h4>
             ${schemaHtml(bodyMedia.schema)}
             ${
               bodyType.includes('json')
                 ? `<label class="body-label">Body to send (starts as the example; edit it)<textarea name="body" rows="${Math.min(16, pretty(bodyExample ?? {}).split('\n').length + 1)}" spellcheck="false">${escapeHtml(pretty(bodyExample ?? {}))}</textarea></label>`
                 : '<p class="muted">This body cannot be sent from this page.</p>'
             }`
          : ''
      }
      <p><button type="submit">Send ${escapeHtml(operation.method.toUpperCase())} request</button> <span class="muted">to this server</span></p>
      <div class="result" aria-live="polite"></div>
    </form>
    <h4>Responses</h4>${responses.join('')}`
}

async function send(form: HTMLFormElement, operation: Operation) {
  const result = form.querySelector('.result') as HTMLElement
  const params = parametersOf(operation)
  let path = operation.path
  const query = new URLSearchParams()
  const headers: Record<string, string> = {}
  params.forEach((p, i) => {
    const value = (form.elements.namedItem(`p${i}`) as HTMLInputElement | null)?.value.trim() ?? ''
    if (value === '') return
    if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(value))
    else if (p.in === 'query') query.append(String(p.name), value)
    else if (p.in === 'header') headers[String(p.name)] = value
  })
  const key = ($('api-key') as HTMLInputElement).value.trim()
  if (key) headers.authorization = `Bearer ${key}`
  const bodyField = form.elements.namedItem('body') as HTMLTextAreaElement | null
  const hasBody = bodyField && !['get', 'delete'].includes(operation.method)
  if (hasBody) headers['content-type'] = 'application/json'
  const url = `${path}${query.size ? `?${query}` : ''}`
  result.innerHTML = `<p class="muted">Sending ${escapeHtml(operation.method.toUpperCase())} ${escapeHtml(url)}…</p>`
  const started = performance.now()
  try {
    const res = await fetch(url, {
      method: operation.method.toUpperCase(),
      headers,
      ...(hasBody ? { body: bodyField.value } : {}),
    })
    const text = await res.text()
    const ms = Math.round(performance.now() - started)
    let shown = text
    try {
      shown = pretty(JSON.parse(text))
    } catch {}
    const headerLines = [...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n')
    result.innerHTML = `
      <p><span class="status s${String(res.status)[0]}">${res.status}</span> in ${ms} ms · <code>${escapeHtml(operation.method.toUpperCase())} ${escapeHtml(url)}</code></p>
      <details><summary>Response headers</summary><pre>${escapeHtml(headerLines)}</pre></details>
      <pre class="response-body">${escapeHtml(shown)}</pre>`
  } catch (err) {
    result.innerHTML = `<p class="error">The request failed: ${escapeHtml((err as Error).message)}</p>`
  }
}

const operationsByTag = new Map<string, Operation[]>()
const operationsById = new Map<string, Operation>()

function collectOperations() {
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Json)) {
    for (const method of METHODS) {
      const op = deref(item)[method]
      if (!isObject(op)) continue
      const id = typeof op.operationId === 'string' ? op.operationId : `${method}-${path}`
      const operation = { method, path, op, id }
      operationsById.set(id, operation)
      for (const tag of (op.tags as string[] | undefined) ?? ['other']) {
        operationsByTag.set(tag, [...(operationsByTag.get(tag) ?? []), operation])
      }
    }
  }
}

function operationSummary(o: Operation): string {
  return `<span class="method ${o.method}">${o.method.toUpperCase()}</span> <code class="path">${escapeHtml(o.path)}</code> <span class="summary">${escapeHtml(o.op.summary ?? '')}</span>`
}

function tagBody(tag: string): string {
  return (operationsByTag.get(tag) ?? [])
    .map((o) =>
      lazyDetails(operationSummary(o), () => operationHtml(o), `class="operation" id="op-${escapeHtml(o.id)}"`),
    )
    .join('')
}

function eventsBody(): string {
  return Object.entries((doc.webhooks ?? {}) as Json)
    .map(([name, item]) => {
      const op = deref(deref(item).post)
      const media = deref(((deref(op.requestBody).content ?? {}) as Json)['application/json'])
      return lazyDetails(
        `<code class="path">${escapeHtml(name)}</code> <span class="summary">${escapeHtml(op.summary ?? '')}</span>`,
        () => {
          const example = mediaExample(media)
          return `${markdown(op.description)}${schemaHtml(media.schema)}${example === undefined ? '' : `<p>Example payload</p><pre>${escapeHtml(pretty(example))}</pre>`}`
        },
        `class="operation" id="event-${slug(name)}"`,
      )
    })
    .join('')
}

function render() {
  const info = (doc.info ?? {}) as Json
  const tags = ((doc.tags ?? []) as Json[]).filter((t) => operationsByTag.has(String(t.name)))
  for (const tag of operationsByTag.keys()) {
    if (!tags.some((t) => t.name === tag)) tags.push({ name: tag })
  }
  $('version').textContent = `v${info.version ?? ''} · OpenAPI ${doc.openapi ?? ''}`
  const sections = tags.map((t) => {
    const name = String(t.name)
    const count = operationsByTag.get(name)?.length ?? 0
    return lazyDetails(
      `<span class="tag-name">${escapeHtml(name)}</span> <span class="muted">${escapeHtml(t.description ?? '')} · ${count}</span>`,
      () => tagBody(name),
      `class="tag" id="tag-${slug(name)}"`,
    )
  })
  const events = Object.keys((doc.webhooks ?? {}) as Json).length
  if (events > 0) {
    sections.push(
      lazyDetails(
        `<span class="tag-name">webhook events</span> <span class="muted">The payloads Rapport sends to your endpoints · ${events}</span>`,
        eventsBody,
        'class="tag" id="tag-webhook-events"',
      ),
    )
  }
  $('main').innerHTML = `
    <section class="intro"><h1>${escapeHtml(info.title ?? 'Rapport API')}</h1>${markdown(info.description)}
      <p class="muted">The OpenAPI document: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p></section>
    <div id="tags">${sections.join('')}</div>`
  $('nav-list').innerHTML = [
    ...tags.map((t) => `<li><a href="#tag-${slug(String(t.name))}">${escapeHtml(t.name)}</a></li>`),
    ...(events > 0 ? ['<li><a href="#tag-webhook-events">webhook events</a></li>'] : []),
  ].join('')
  document.body.dataset.ready = 'true'
  // Read by `npm run bench` (bench/docs-page.ts): the moment the page is usable.
  performance.mark('rapport-docs-ready')
}

/** Opens the tag and operation a `#tag-…` or `#op-…` address names, and scrolls to it. */
function openFromHash() {
  const id = decodeURIComponent(location.hash.slice(1))
  if (!id) return
  let target = document.getElementById(id)
  if (!target && id.startsWith('op-')) {
    const operation = operationsById.get(id.slice(3))
    const tag = (operation?.op.tags as string[] | undefined)?.[0]
    const section = tag ? (document.getElementById(`tag-${slug(tag)}`) as HTMLDetailsElement | null) : null
    if (section) {
      section.open = true
      fillLazy(section)
    }
    target = document.getElementById(id)
  }
  if (target instanceof HTMLDetailsElement) {
    target.open = true
    fillLazy(target)
  }
  target?.scrollIntoView()
}

function filter(term: string) {
  const t = term.trim().toLowerCase()
  for (const section of document.querySelectorAll<HTMLDetailsElement>('details.tag')) {
    const tag = section.id.replace(/^tag-/, '')
    const operations = [...operationsByTag.entries()].find(([name]) => slug(name) === tag)?.[1] ?? []
    const matches = (o: Operation) =>
      [o.path, o.id, o.method, String(o.op.summary ?? '')].some((s) => s.toLowerCase().includes(t))
    const hit = t === '' || tag.includes(slug(t)) || operations.some(matches)
    section.hidden = !hit
    if (t !== '' && hit && operations.some(matches)) {
      section.open = true
      fillLazy(section)
      for (const o of operations) {
        const row = document.getElementById(`op-${o.id}`)
        if (row) row.hidden = !matches(o)
      }
    } else {
      for (const row of section.querySelectorAll<HTMLElement>('details.operation')) row.hidden = false
    }
  }
}

async function start() {
  const keyInput = $('api-key') as HTMLInputElement
  keyInput.value = sessionStorage.getItem(KEY_STORAGE) ?? ''
  keyInput.addEventListener('input', () => sessionStorage.setItem(KEY_STORAGE, keyInput.value.trim()))
  // `toggle` does not bubble: listen in the capture phase to fill any lazily drawn section.
  document.addEventListener('toggle', (e) => e.target instanceof HTMLDetailsElement && fillLazy(e.target), true)
  document.addEventListener('submit', (e) => {
    const form = e.target as HTMLFormElement
    const operation = form.dataset.op ? operationsById.get(form.dataset.op) : undefined
    if (!operation) return
    e.preventDefault()
    void send(form, operation)
  })
  $<HTMLInputElement>('filter').addEventListener('input', (e) => filter((e.target as HTMLInputElement).value))
  window.addEventListener('hashchange', openFromHash)
  try {
    const res = await fetch('/api/v1/openapi.json')
    if (!res.ok) throw new Error(`the server answered ${res.status}`)
    doc = (await res.json()) as Json
  } catch (err) {
    $('main').innerHTML =
      `<p class="error">The API description could not be loaded: ${escapeHtml((err as Error).message)}</p>`
    return
  }
  collectOperations()
  render()
  openFromHash()
}

void start()
