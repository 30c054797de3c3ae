import type { FastifyInstance, FastifyReply } from 'fastify'
import { renderTemplate } from './liquid.js'

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>{{ title }}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#222}
button{font:inherit;padding:.5rem 1rem;border-radius:6px;border:1px solid #444;background:#222;color:#fff;cursor:pointer}
label{display:block;margin:.4rem 0}</style></head>
<body><main><h1>{{ title }}</h1>{% for p in paragraphs %}<p>{{ p }}</p>{% endfor %}
{% if form %}<form method="post" action="{{ form.action }}">{% for c in form.checkboxes %}
<label><input type="checkbox" name="{{ c.name }}" value="{{ c.value }}"{% if c.checked %} checked{% endif %}> {{ c.label }}</label>{% endfor %}
<button type="submit">{{ form.button }}</button></form>{% endif %}</main></body></html>`

export interface PageContent {
  title: string
  paragraphs: string[]
  form?: {
    action: string
    button: string
    checkboxes?: { name: string; value: string; label: string; checked: boolean }[]
  }
}

/**
 * Answers with one of the small pages people reach from links in emails (confirm a subscription,
 * unsubscribe, preferences). Every value is HTML-escaped; nothing is cached; no page is indexed.
 */
export async function sendPage(reply: FastifyReply, status: number, content: PageContent) {
  const html = await renderTemplate(PAGE, 'html', content as unknown as Record<string, unknown>)
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-robots-tag', 'noindex')
    .send(html)
}

/**
 * Lets the encapsulated plugin of these pages take the POST of an HTML form, and the one-click
 * unsubscribe POST of mailbox providers (RFC 8058: `List-Unsubscribe=One-Click`, sent urlencoded
 * or as multipart/form-data). The body is read as text, at most 4 KiB, and parsed only as
 * urlencoded fields; nothing of it is trusted beyond the fields a route names.
 */
export function acceptFormPosts(app: FastifyInstance) {
  const parse = (_req: unknown, body: string, done: (err: Error | null, body?: unknown) => void) =>
    done(null, Object.fromEntries(new URLSearchParams(body).entries()))
  const multipart = (_req: unknown, _body: string, done: (err: Error | null, body?: unknown) => void) => done(null, {})
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, parse)
  app.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: 4096 }, multipart)
}
