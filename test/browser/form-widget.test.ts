import { createServer, type Server } from 'node:http'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type TestApp, testApp } from '../harness.js'
import {
  hasChromium,
  launchChromium,
  listenOnLoopback,
  originOf,
  requireChromiumInCi,
  shouldWriteScreenshot,
} from './chromium.js'

/*
 * The contact-form widget in real headless Chromium: Rapport listens on one loopback origin, a
 * customer's pages (with their own strict CSP) on others. The server keeps its default minimum fill
 * time (3 s): a submission is stored only if the widget waits for it.
 */

const SCREENSHOT = fileURLToPath(new URL('../../docs/form-widget-dark.png', import.meta.url))

requireChromiumInCi('CI has Chromium for the form widget tests')

const CONSENT = 'I agree that Acme stores my data to answer me ("Privacy policy").'
const TOPIC_LABEL = 'Topic <img src=x onerror="window.__xss=1">'
const FIELDS = [
  { key: 'name', label: 'Your name', type: 'text', required: true },
  { key: 'email', label: 'Email', type: 'email', required: true },
  { key: 'phone', label: 'Phone', type: 'phone' },
  { key: 'topic', label: TOPIC_LABEL, type: 'select', options: ['Sales', 'Support'] },
  { key: 'newsletter', label: 'Send me news', type: 'checkbox' },
  { key: 'message', label: 'Message', type: 'textarea' },
  { key: 'consent', label: CONSENT, type: 'consent', required: true },
]
const SUCCESS = 'Thanks, we will be in touch.'

const LISTEN = `window.__events = []; window.__violations = [];
for (const type of ['rapport:form-submitted', 'rapport:form-error'])
  window.addEventListener(type, (e) => window.__events.push({ type, detail: e.detail }));
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective));`
/** The site's own CSS: none of it may reach inside the widget. */
const SITE_CSS = '* { font-family: serif !important; } body { color: rgb(255, 0, 0); } label { color: rgb(255, 0, 0); }'

interface Site {
  origin: string
  server: Server
  /** The HTML body of `/`. */
  body: string
}

/** A customer's site on its own loopback origin, under a strict CSP that allows Rapport's script and API only. */
function customerSite(rapport: string): Promise<Site> {
  const site = { body: '' } as Site
  const csp = `default-src 'self'; script-src 'self' ${rapport}; connect-src ${rapport}; style-src 'self'; img-src 'self'`
  site.server = createServer((req, res) => {
    if (req.url === '/listen.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(LISTEN)
    if (req.url === '/site.css') return res.writeHead(200, { 'content-type': 'text/css' }).end(SITE_CSS)
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme</title>
<link rel="stylesheet" href="/site.css"><script src="/listen.js"></script></head>
<body><h1>Acme</h1>${req.url === '/thanks' ? '<p>Thanks page</p>' : site.body}</body></html>`
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp }).end(html)
  })
  return new Promise((resolve) =>
    site.server.listen(0, '127.0.0.1', () => {
      site.origin = originOf(site.server)
      resolve(site)
    }),
  )
}

type Captured = { type: string; detail: Record<string, unknown> }
const eventsOf = (page: Page) => page.evaluate(() => (window as unknown as { __events: Captured[] }).__events)

/** The element focused in the page, looking into shadow roots: its name, or its text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let el = document.activeElement
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
    return el?.getAttribute('name') ?? el?.textContent ?? ''
  })

describe.runIf(hasChromium)('the contact-form widget in Chromium', () => {
  let browser: Browser
  let h: TestApp
  let rapport: string
  let site: Site
  let pk: string
  /** The organization's oldest form: what the drop-in shows without data-form. */
  let defaultFormId: string

  const newForm = async (form: Record<string, unknown> = {}) => {
    const res = await h.api('POST', '/api/v1/forms', { name: 'Contact <b>us</b>', fields: FIELDS, ...form })
    if (res.statusCode !== 201) throw new Error(res.body)
    return res.json().id as string
  }
  const responsesOf = async (formId: string) =>
    (await h.api('GET', `/api/v1/form_responses?form_id=${formId}`)).json().data as Record<string, unknown>[]

  beforeAll(async () => {
    browser = await launchChromium()
    // Every request comes from 127.0.0.1: lift the per-address public budgets, keep the minimum fill time.
    h = await testApp({ env: { RAPPORT_PUBLIC_RATE_LIMITS: 'read=10000,write=10000' } })
    rapport = await listenOnLoopback(h.app)
    site = await customerSite(rapport)
    defaultFormId = await newForm({ success_message: SUCCESS })
    const key = await h.api('POST', '/api/v1/api_keys', {
      name: 'Website',
      type: 'publishable',
      mode: 'live',
      allowed_origins: [site.origin],
    })
    if (key.statusCode !== 201) throw new Error(key.body)
    pk = key.json().key
  })
  afterAll(async () => {
    await browser?.close()
    await h?.close()
    if (site) await new Promise((resolve) => site.server.close(resolve))
  })

  const dropIn = (attributes = '') =>
    `<p>Write to us:</p><script src="${rapport}/widget/form.js" data-key="${pk}" ${attributes}></script><button class="b">Site button</button>`

  /** Opens `body` on the customer's site (or another site) in a fresh context. */
  async function visit<T>(
    body: string,
    run: (page: Page) => Promise<T>,
    opts: { on?: Site; context?: BrowserContextOptions } = {},
  ): Promise<T> {
    const on = opts.on ?? site
    on.body = body
    const context = await browser.newContext({ locale: 'en-US', ...opts.context })
    const page = await context.newPage()
    try {
      await page.goto(`${on.origin}/`)
      return await run(page)
    } finally {
      await context.close()
    }
  }

  const submissionsSent = (page: Page) => {
    const keys: string[] = []
    page.on('request', (req) => {
      if (req.method() === 'POST' && req.url().endsWith('/submissions'))
        keys.push(req.headers()['idempotency-key'] ?? '')
    })
    return keys
  }

  test('a visitor fills the drop-in form on another origin; the response and the contact exist, the site hears rapport:form-submitted', async () => {
    await visit(dropIn(), async (page) => {
      const sent = submissionsSent(page)
      const field = (name: string) => page.locator(`[data-rapport-form] [name="${name}"]`)
      await field('name').waitFor()
      // Each field type renders its own control, labelled by its label (as text, never HTML).
      expect(await field('name').evaluate((e: HTMLInputElement) => [e.type, e.autocomplete, e.required])).toEqual([
        'text',
        'name',
        true,
      ])
      expect(await field('email').evaluate((e: HTMLInputElement) => [e.type, e.autocomplete])).toEqual([
        'email',
        'email',
      ])
      expect(await field('phone').evaluate((e: HTMLInputElement) => [e.type, e.autocomplete])).toEqual(['tel', 'tel'])
      expect(await field('topic').evaluate((e: HTMLSelectElement) => [...e.options].map((o) => o.value))).toEqual([
        '',
        'Sales',
        'Support',
      ])
      expect(await field('newsletter').getAttribute('type')).toBe('checkbox')
      expect(await field('message').evaluate((e) => e.tagName)).toBe('TEXTAREA')
      expect(await field('consent').getAttribute('type')).toBe('checkbox')
      const labelOf = (name: string) =>
        field(name).evaluate((e: HTMLInputElement) => [...(e.labels ?? [])].map((l) => l.textContent))
      expect(await labelOf('topic')).toEqual([TOPIC_LABEL])
      expect(await labelOf('consent')).toEqual([CONSENT])
      expect(await page.locator('[data-rapport-form] h2').textContent()).toBe('Contact <b>us</b>')
      await expect.poll(() => page.locator('[data-rapport-form] img, [data-rapport-form] b').count()).toBe(0)

      // The honeypot: in the DOM, off-screen, out of the tab order, hidden from assistive tech.
      const trap = field('website')
      expect(await trap.getAttribute('tabindex')).toBe('-1')
      expect(await trap.getAttribute('autocomplete')).toBe('off')
      expect(await trap.evaluate((e) => e.parentElement?.getAttribute('aria-hidden'))).toBe('true')
      expect(await trap.evaluate((e) => getComputedStyle(e.parentElement!).display)).not.toBe('none')
      expect((await trap.boundingBox())!.x).toBeLessThan(-1000)

      // Styled by the adopted stylesheet under the site's CSP; neither side's CSS reaches the other.
      const send = page.getByRole('button', { name: 'Send' })
      expect(await send.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(31, 79, 209)')
      expect(await field('name').evaluate((e: HTMLInputElement) => getComputedStyle(e.labels![0]!).color)).toBe(
        'rgb(17, 24, 39)',
      )
      expect(await field('name').evaluate((e) => getComputedStyle(e).fontFamily)).toBe('system-ui, sans-serif')
      const siteButton = page.getByRole('button', { name: 'Site button' })
      expect(await siteButton.evaluate((b) => getComputedStyle(b).backgroundColor)).not.toBe('rgb(31, 79, 209)')

      const email = `jane.${Math.random().toString(36).slice(2, 10)}@example.com`
      await page.getByLabel('Your name').fill('Jane <b>Visitor</b>')
      await page.getByLabel('Email').fill(`  ${email} `)
      await page.getByLabel('Phone').fill('+1 555 010 2000')
      await field('topic').selectOption('Support')
      await page.getByLabel('Send me news').check()
      await page.getByLabel('Message').fill('<script>window.__xss=1</script> Hello')
      await field('consent').check()
      await send.dblclick()
      const done = page.getByText(SUCCESS)
      await done.waitFor()
      expect(await focused(page)).toBe(SUCCESS)
      await expect.poll(() => page.locator('[data-rapport-form] form').count()).toBe(0)

      const events = await eventsOf(page)
      expect(events).toEqual([
        {
          type: 'rapport:form-submitted',
          detail: { formId: defaultFormId, responseId: expect.stringMatching(/^fr_/) },
        },
      ])
      expect(sent).toHaveLength(1) // the second click met a disabled button
      const responses = await responsesOf(defaultFormId)
      expect(responses).toHaveLength(1)
      const stored = responses[0]!
      expect(stored.id).toBe(events[0]!.detail.responseId)
      expect(stored.source_url).toBe(`${site.origin}/`)
      expect(stored.form_data).toMatchObject({
        name: 'Jane <b>Visitor</b>',
        email,
        phone: '+1 555 010 2000',
        topic: 'Support',
        newsletter: true,
        message: '<script>window.__xss=1</script> Hello',
        consent: true,
        // The consent text stored is the label the visitor saw.
        _consents: [{ key: 'consent', text: CONSENT, source_url: `${site.origin}/`, accepted_at: expect.any(String) }],
      })
      const contact = (await h.api('GET', `/api/v1/contacts/${stored.lead_id}`)).json()
      expect(contact).toMatchObject({ email, name: 'Jane <b>Visitor</b>', phone: '+1 555 010 2000', status: 'lead' })
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined()
      expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([])
    })
  })

  test('keyboard only: errors are marked, announced and focused before anything is sent; the form is then sent with the keyboard', async () => {
    await visit(dropIn(), async (page) => {
      const sent = submissionsSent(page)
      const field = (name: string) => page.locator(`[data-rapport-form] [name="${name}"]`)
      await field('name').waitFor()
      await page.keyboard.press('Tab')
      expect(await focused(page)).toBe('name')
      await page.keyboard.press('Enter')
      const live = page.locator('[data-rapport-form] [role="status"]')
      await expect.poll(() => live.textContent()).toBe('Please check the highlighted fields.')
      expect(await focused(page)).toBe('name')
      for (const [name, message] of [
        ['name', 'This field is required'],
        ['email', 'This field is required'],
        ['consent', 'Consent is required'],
      ]) {
        expect(await field(name!).getAttribute('aria-invalid'), name).toBe('true')
        const describedBy = String(await field(name!).getAttribute('aria-describedby'))
        expect(await page.locator(`[data-rapport-form] [id="${describedBy}"]`).textContent(), name).toBe(message)
      }
      expect(await field('phone').getAttribute('aria-invalid')).toBeNull()

      await page.keyboard.type('Kim Keys')
      await page.keyboard.press('Tab')
      await page.keyboard.type('kim@')
      await page.keyboard.press('Enter')
      await expect.poll(() => field('email').getAttribute('aria-invalid')).toBe('true')
      expect(await focused(page)).toBe('email')
      expect(await field('name').getAttribute('aria-invalid')).toBeNull()
      expect(await page.locator('[data-rapport-form] [id="rf-1-error"]').textContent()).toBe('Must be a valid email')
      expect(sent).toEqual([])

      const email = `kim.${Math.random().toString(36).slice(2, 10)}@example.com`
      await page.keyboard.press('ControlOrMeta+A')
      await page.keyboard.type(email)
      for (const next of ['phone', 'topic', 'newsletter', 'message']) {
        await page.keyboard.press('Tab')
        expect(await focused(page)).toBe(next)
      }
      await page.keyboard.type('Keyboard only')
      await page.keyboard.press('Tab')
      expect(await focused(page)).toBe('consent')
      // A visible focus ring on what the keyboard reached.
      expect(await field('consent').evaluate((e) => getComputedStyle(e).outlineStyle)).toBe('solid')
      expect(await field('consent').evaluate((e) => getComputedStyle(e).outlineColor)).toBe('rgb(245, 166, 35)')
      await page.keyboard.press('Space')
      expect(await field('consent').isChecked()).toBe(true)
      await page.keyboard.press('Tab')
      expect(await focused(page)).toBe('Send')
      await page.keyboard.press('Enter')
      await page.getByText(SUCCESS).waitFor()
      expect(await focused(page)).toBe(SUCCESS)
      const events = await eventsOf(page)
      expect(events.map((e) => [e.type, e.detail.code])).toEqual([
        ['rapport:form-error', 'validation_failed'],
        ['rapport:form-error', 'validation_failed'],
        ['rapport:form-submitted', undefined],
      ])
      expect(events[0]!.detail.fields).toEqual({
        name: 'This field is required',
        email: 'This field is required',
        consent: 'Consent is required',
      })
      const responses = await responsesOf(defaultFormId)
      expect(responses.find((r) => r.id === events[2]!.detail.responseId)?.form_data).toMatchObject({
        name: 'Kim Keys',
        email,
        message: 'Keyboard only',
        consent: true,
      })
    })
  })

  /** Fills the required fields of FIELDS. */
  async function fillRequired(page: Page, email = `v.${Math.random().toString(36).slice(2, 10)}@example.com`) {
    await page.getByLabel('Your name').fill('Val Visitor')
    await page.getByLabel('Email').fill(email)
    await page.locator('[data-rapport-form] [name="consent"]').check()
    return email
  }

  test('an answer lost on the way is retried with the same Idempotency-Key and stores one response', async () => {
    const formId = await newForm({ success_message: SUCCESS })
    await visit(dropIn(`data-form="${formId}"`), async (page) => {
      const sent = submissionsSent(page)
      let lost = false
      await page.route(`${rapport}/api/v1/forms/*/submissions`, async (route) => {
        if (route.request().method() !== 'POST' || lost) return route.continue()
        lost = true
        const answer = await route.fetch() // the server stores the response, the browser never hears it
        expect(answer.status()).toBe(201)
        return route.abort('connectionreset')
      })
      await fillRequired(page)
      await page.getByRole('button', { name: 'Send' }).click()
      await page.getByText(SUCCESS).waitFor()
      expect(sent).toHaveLength(2)
      expect(sent[1]).toBe(sent[0])
      expect(await responsesOf(formId)).toHaveLength(1)
      const events = await eventsOf(page)
      expect(events).toEqual([{ type: 'rapport:form-submitted', detail: { formId, responseId: expect.any(String) } }])
      expect((await responsesOf(formId))[0]!.id).toBe(events[0]!.detail.responseId)
    })
  })

  test('offline, the widget retries with backoff, then says so and keeps what was typed; sent again, it stores one response', async () => {
    const formId = await newForm({ success_message: SUCCESS })
    await visit(dropIn(`data-form="${formId}"`), async (page) => {
      const sent = submissionsSent(page)
      await page.locator('[data-rapport-form] [name="name"]').waitFor()
      let offline = true
      await page.route(`${rapport}/**`, (route) => (offline ? route.abort('internetdisconnected') : route.continue()))
      const email = await fillRequired(page)
      await page.getByLabel('Message').fill('Still here?')
      const send = page.getByRole('button', { name: 'Send' })
      await send.click()
      expect(await send.isDisabled()).toBe(true)
      const live = page.locator('[data-rapport-form] [role="status"]')
      await live.getByText('We could not reach the server. Please check your connection and try again.').waitFor()
      expect(sent).toHaveLength(5)
      expect(new Set(sent).size).toBe(1)
      expect(await send.isDisabled()).toBe(false)
      expect(await page.getByLabel('Email').inputValue()).toBe(email)
      expect(await page.getByLabel('Message').inputValue()).toBe('Still here?')
      expect((await eventsOf(page)).map((e) => e.detail.code)).toEqual(['network'])

      offline = false
      await send.click()
      await page.getByText(SUCCESS).waitFor()
      expect(sent).toHaveLength(6)
      expect(new Set(sent).size).toBe(1)
      expect(await responsesOf(formId)).toHaveLength(1)
    })
  })

  test('a server-side error is shown beside its field, with the values kept', async () => {
    const formId = await newForm({ success_message: SUCCESS })
    await visit(dropIn(`data-form="${formId}"`), async (page) => {
      await page.locator('[data-rapport-form] [name="topic"]').waitFor()
      // The form changes after the visitor loaded it: the server no longer takes "Sales".
      const fields = FIELDS.map((f) => (f.key === 'topic' ? { ...f, options: ['Billing'] } : f))
      expect((await h.api('PATCH', `/api/v1/forms/${formId}`, { fields })).statusCode).toBe(200)
      await fillRequired(page)
      await page.locator('[data-rapport-form] [name="topic"]').selectOption('Sales')
      await page.getByRole('button', { name: 'Send' }).click()
      // The answer comes once the minimum fill time has passed.
      await page.waitForFunction(() => (window as unknown as { __events: unknown[] }).__events.length > 0)
      const topic = page.locator('[data-rapport-form] [name="topic"]')
      expect(await topic.getAttribute('aria-invalid')).toBe('true')
      expect(await page.locator('[data-rapport-form] [id="rf-3-error"]').textContent()).toBe('Must be one of: Billing')
      expect(await page.locator('[data-rapport-form] [role="status"]').textContent()).toBe(
        'Please check the highlighted fields.',
      )
      expect(await focused(page)).toBe('topic')
      expect(await page.getByLabel('Your name').inputValue()).toBe('Val Visitor')
      expect(await eventsOf(page)).toEqual([
        {
          type: 'rapport:form-error',
          detail: {
            formId,
            code: 'validation_failed',
            message: expect.stringContaining('data.topic'),
            fields: { topic: 'Must be one of: Billing' },
          },
        },
      ])
      expect(await responsesOf(formId)).toHaveLength(0)
    })
  })

  test('a refused token is renewed and the submission sent again, under a new Idempotency-Key', async () => {
    const formId = await newForm({ success_message: SUCCESS })
    await visit(dropIn(`data-form="${formId}"`), async (page) => {
      await page.locator('[data-rapport-form] [name="name"]').waitFor()
      const sent = submissionsSent(page)
      let definitions = 0
      page.on('request', (req) => {
        if (req.url().includes(`/forms/${formId}/public`)) definitions++
      })
      let forged = false
      await page.route(`${rapport}/api/v1/forms/*/submissions`, (route) => {
        if (route.request().method() !== 'POST' || forged) return route.continue()
        forged = true
        const body = route.request().postDataJSON()
        return route.continue({ postData: JSON.stringify({ ...body, token: 'forged.token.0.x' }) })
      })
      await fillRequired(page)
      await page.getByRole('button', { name: 'Send' }).click()
      await page.getByText(SUCCESS).waitFor()
      expect(sent).toHaveLength(2)
      expect(sent[1]).not.toBe(sent[0])
      expect(definitions).toBe(1)
      expect(await responsesOf(formId)).toHaveLength(1)
    })
  })

  test('RapportForm.render draws a form with its title and subtitle, resolves with its id, and follows its redirect', async () => {
    const formId = await newForm({ redirect_url: `${site.origin}/thanks` })
    const body = `<div id="contact-form"></div><script src="${rapport}/widget/form.js"></script>`
    await visit(body, async (page) => {
      const rendered = await page.evaluate(
        ([key, form]) =>
          (window as unknown as { RapportForm: { render(t: string, o: object): Promise<unknown> } }).RapportForm.render(
            '#contact-form',
            {
              key,
              form,
              theme: 'light',
              title: 'Write to us',
              subtitle: 'We answer within a day.',
            },
          ),
        [pk, formId],
      )
      expect(rendered).toEqual({ formId })
      expect(await page.locator('#contact-form [data-rapport-form] h2').textContent()).toBe('Write to us')
      await expect.poll(() => page.getByText('We answer within a day.').count()).toBe(1)
      await expect.poll(() => page.getByRole('form', { name: 'Write to us' }).count()).toBe(1)
      await fillRequired(page)
      await page.getByRole('button', { name: 'Send' }).click()
      await page.waitForURL(`${site.origin}/thanks`)
      expect(await responsesOf(formId)).toHaveLength(1)

      await page.goto(`${site.origin}/`)
      const missing = await page.evaluate(
        (key) =>
          (window as unknown as { RapportForm: { render(t: string, o: object): Promise<unknown> } }).RapportForm.render(
            '#nowhere',
            { key },
          ).then(
            () => 'resolved',
            (err: Error) => err.message,
          ),
        pk,
      )
      expect(missing).toBe('RapportForm: no element matches #nowhere')
    })
  })

  const renderError = (page: Page, options: object) =>
    page.evaluate(
      (o) =>
        (window as unknown as { RapportForm: { render(t: string, o: object): Promise<unknown> } }).RapportForm.render(
          '#contact-form',
          o,
        ).then(
          () => 'resolved',
          (err: Error) => err.message,
        ),
      options,
    )

  test('an unknown form: render() rejects with a clear Error, the drop-in shows a polite message', async () => {
    await visit(`<div id="contact-form"></div>${dropIn('data-form="form_nope"')}`, async (page) => {
      await page.getByText('This form is not available right now. Please try again later.').waitFor()
      expect(await eventsOf(page)).toEqual([
        {
          type: 'rapport:form-error',
          detail: { formId: 'form_nope', code: 'not_found', message: 'RapportForm: Form form_nope not found' },
        },
      ])
      expect(await renderError(page, { key: pk, form: 'form_nope' })).toBe('RapportForm: Form form_nope not found')
      await expect.poll(() => page.locator('#contact-form [data-rapport-form]').count()).toBe(0)
    })
  })

  test('data-api-key (and apiKey in render) works as data-key does', async () => {
    const body = `<p>Write to us:</p><script src="${rapport}/widget/form.js" data-api-key="${pk}"></script>`
    await visit(body, async (page) => {
      await page.locator('[data-rapport-form] [name="email"]').waitFor()
      const formId = await page.evaluate(
        (key) =>
          window.RapportForm!.render(document.body, { apiKey: key } as never).then((r: { formId: string }) => r.formId),
        pk,
      )
      expect(formId).toBe(defaultFormId)
    })
  })

  test('a secret key in the page is never sent: the visitor sees a neutral message, the console says why and what to use; the server records nothing', async () => {
    const secret = h.org.key
    const before = (await h.api('GET', '/api/v1/form_responses?limit=100')).json().pagination.total
    const body = `<p>Write to us:</p><script src="${rapport}/widget/form.js" data-key="${secret}"></script>`
    await visit(body, async (page) => {
      const errors: string[] = []
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text())
      })
      const toRapport: string[] = []
      page.on('request', (req) => {
        if (req.url().startsWith(`${rapport}/api/`)) toRapport.push(req.url())
      })
      await page.reload()
      await page.getByText('This form is not available right now. Please try again later.').waitFor()
      await expect.poll(() => page.locator('[data-rapport-form] form').count()).toBe(0)
      expect(errors.join('\n')).toMatch(/SECRET key \(rk_live_…\)/)
      expect(errors.join('\n')).toMatch(/publishable key \(pk_live_…/)
      expect(errors.join('\n')).toMatch(/revoke this secret key/)
      expect(errors.join('\n')).not.toContain(secret)
      expect(toRapport).toEqual([])
      expect((await eventsOf(page)).map((e) => e.detail.code)).toEqual(['secret_key'])
    })
    // Sent by hand, the server answers 401 and stores nothing.
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/forms/${defaultFormId}/submissions`,
      headers: { 'x-api-key': secret, origin: site.origin },
      payload: { data: { email: 'x@example.com' }, token: 'x' },
    })
    expect(res.statusCode).toBe(401)
    expect(res.json().error.code).toBe('invalid_api_key')
    expect((await h.api('GET', '/api/v1/form_responses?limit=100')).json().pagination.total).toBe(before)
  })

  test('a page on an origin the key does not allow is refused: render() rejects, the drop-in shows a polite message', async () => {
    const elsewhere = await customerSite(rapport)
    try {
      await visit(
        `<div id="contact-form"></div>${dropIn()}`,
        async (page) => {
          await page.getByText('This form is not available right now. Please try again later.').waitFor()
          await expect.poll(() => page.locator('[data-rapport-form] form').count()).toBe(0)
          const refused = `RapportForm: Rapport refused this page: use a valid publishable key that lists ${elsewhere.origin} in its allowed_origins`
          expect(await eventsOf(page)).toEqual([
            { type: 'rapport:form-error', detail: { formId: 'default', code: 'refused', message: refused } },
          ])
          expect(await renderError(page, { key: pk })).toBe(refused)
          expect(await renderError(page, {})).toBe('RapportForm: a publishable key is required (key: "pk_live_…")')
        },
        { on: elsewhere },
      )
    } finally {
      await new Promise((resolve) => elsewhere.server.close(resolve))
    }
  })

  const backgroundOf = (page: Page) =>
    page.locator('[data-rapport-form] form').evaluate((e) => getComputedStyle(e.parentElement!).backgroundColor)

  test('the dark theme renders dark; auto follows the visitor’s colour scheme; reduced motion stops transitions', async () => {
    const DARK = 'rgb(17, 24, 39)'
    const LIGHT = 'rgb(255, 255, 255)'
    // A plain form for the picture in the docs, with one error shown.
    const formId = await newForm({
      name: 'Contact us',
      fields: FIELDS.map((f) => (f.key === 'topic' ? { ...f, label: 'Topic' } : f)),
    })
    await visit(
      dropIn(`data-form="${formId}" data-theme="dark" data-subtitle="We answer within a day."`),
      async (page) => {
        await page.locator('[data-rapport-form] form').waitFor()
        expect(await backgroundOf(page)).toBe(DARK)
        await expect.poll(() => page.getByText('We answer within a day.').count()).toBe(1)
        await page.getByLabel('Your name').fill('Jane Visitor')
        await page.getByLabel('Email').fill('jane@')
        await page.getByLabel('Email').press('Enter')
        await page.getByText('Must be a valid email').waitFor()
        if (shouldWriteScreenshot(SCREENSHOT)) {
          await page.locator('[data-rapport-form] .dark').screenshot({ path: SCREENSHOT })
        }
      },
    )
    const dark = { colorScheme: 'dark', reducedMotion: 'reduce' } as const
    await visit(
      dropIn(),
      async (page) => {
        await page.locator('[data-rapport-form] form').waitFor()
        expect(await backgroundOf(page)).toBe(DARK)
        const send = page.getByRole('button', { name: 'Send' })
        expect(await send.evaluate((b) => getComputedStyle(b).transitionDuration)).toBe('0s')
      },
      { context: dark },
    )
    await visit(
      dropIn('data-theme="light"'),
      async (page) => {
        await page.locator('[data-rapport-form] form').waitFor()
        expect(await backgroundOf(page)).toBe(LIGHT)
      },
      { context: dark },
    )
    await visit(dropIn(), async (page) => {
      await page.locator('[data-rapport-form] form').waitFor()
      expect(await backgroundOf(page)).toBe(LIGHT)
      const send = page.getByRole('button', { name: 'Send' })
      expect(await send.evaluate((b) => getComputedStyle(b).transitionDuration)).toBe('0.15s')
    })
  })
})
