import { afterEach, describe, expect, test } from 'vitest'
import { startEmailWorker } from '../../src/modules/email/emails.worker.js'
import { eventually } from '../delivery/fixtures.js'
import { type TestApp, testApp } from '../harness.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** An app with no SMTP server (the development mailbox) and a default sender. */
async function setup(): Promise<TestApp> {
  const h = await testApp({ env: { RAPPORT_SMTP_URL: '' } })
  cleanups.push(h.close)
  expect((await h.api('POST', '/api/v1/senders', { email: 'hello@acme.example', name: 'Acme' })).statusCode).toBe(201)
  return h
}

describe('email templates', () => {
  test('CRUD: create, read, list, update, delete', async () => {
    const h = await setup()
    const created = await h.api('POST', '/api/v1/email-templates', {
      name: 'Welcome',
      subject: 'Welcome, {{ contact.first_name }}',
      html: '<p>Hello {{ contact.name }}</p>',
    })
    expect(created.statusCode).toBe(201)
    const t = created.json()
    expect(t).toMatchObject({ object: 'email_template', name: 'Welcome', text: null })
    expect(t.id).toMatch(/^etpl_/)
    expect((await h.api('GET', `/api/v1/email-templates/${t.id}`)).json()).toEqual(t)
    expect((await h.api('GET', '/api/v1/email-templates')).json().data.map((x: { id: string }) => x.id)).toEqual([t.id])
    const patched = (await h.api('PATCH', `/api/v1/email-templates/${t.id}`, { text: 'Hi {{ contact.name }}' })).json()
    expect(patched).toMatchObject({ text: 'Hi {{ contact.name }}', html: '<p>Hello {{ contact.name }}</p>' })
    const emptied = await h.api('PATCH', `/api/v1/email-templates/${t.id}`, { html: null, text: null })
    expect(emptied.statusCode).toBe(422)
    expect((await h.api('DELETE', `/api/v1/email-templates/${t.id}`)).json()).toEqual({
      id: t.id,
      object: 'email_template',
      deleted: true,
    })
    expect((await h.api('GET', `/api/v1/email-templates/${t.id}`)).statusCode).toBe(404)
  })

  test('a part that is not valid Liquid is a 422 naming it', async () => {
    const h = await setup()
    const res = await h.api('POST', '/api/v1/email-templates', {
      name: 'Broken',
      subject: 'Fine',
      html: '<p>{% if contact.name %}unclosed</p>',
    })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details[0].field).toBe('html')
  })

  test('preview renders contact, custom fields, organization and data, HTML-escaping values in the HTML part only', async () => {
    const h = await setup()
    const contact = (
      await h.api('POST', '/api/v1/contacts', {
        name: 'Jane <b>Doe</b>',
        email: 'jane@example.com',
        custom_fields: { plan: 'Gold' },
      })
    ).json()
    const t = (
      await h.api('POST', '/api/v1/email-templates', {
        name: 'Quote',
        subject: 'Quote for {{ contact.first_name }} ({{ contact.custom_fields.plan }})',
        html: '<p>{{ contact.name }} at {{ organization.name }}: <a href="{{ data.url }}">quote</a></p>',
        text: '{{ contact.name }}: {{ data.url }}',
      })
    ).json()
    const res = await h.api('POST', `/api/v1/email-templates/${t.id}/preview`, {
      contact_id: contact.id,
      data: { url: 'https://acme.example/q/1' },
    })
    expect(res.statusCode).toBe(200)
    const org = await h.deps.db
      .selectFrom('organizations')
      .select('name')
      .where('id', '=', h.org.id)
      .executeTakeFirstOrThrow()
    const rendered = res.json()
    expect(rendered.subject).toBe('Quote for Jane (Gold)')
    expect(rendered.html).toContain(`<p>Jane &lt;b&gt;Doe&lt;/b&gt; at ${org.name}: `)
    expect(rendered.html).toContain('href="https://acme.example/q/1"')
    expect(rendered.text).toBe('Jane <b>Doe</b>: https://acme.example/q/1')
    const sample = (await h.api('POST', `/api/v1/email-templates/${t.id}/preview`, {})).json()
    expect(sample.subject).toBe('Quote for Jane ()')
  })

  test('the draft preview renders unsaved content and derives the text part from the HTML', async () => {
    const h = await setup()
    const res = await h.api('POST', '/api/v1/email-templates/preview', {
      subject: 'Hi {{ data.who }}',
      html: '<p>Hello <a href="https://acme.example">{{ data.who }}</a></p>',
      data: { who: 'Sam' },
    })
    expect(res.json()).toEqual({
      subject: 'Hi Sam',
      html: '<p>Hello <a href="https://acme.example">Sam</a></p>',
      text: 'Hello Sam [https://acme.example]',
    })
  })

  test('templates cannot read files, reach prototypes, or loop without bound', async () => {
    const h = await setup()
    const preview = (html: string) =>
      h.api('POST', '/api/v1/email-templates/preview', { subject: 'S', html, data: { list: [1, 2, 3] } })
    for (const tag of ["{% include '/etc/passwd' %}", "{% render 'package.json' %}", "{% layout 'x' %}"]) {
      const res = await preview(tag)
      expect(res.statusCode, tag).toBe(422)
      expect(res.json().error.details[0].field).toBe('html')
    }
    const proto = (await preview('{{ data.constructor.name }}|{{ data.list.__proto__ }}|')).json()
    expect(proto.html).toBe('||')
    const bomb = await preview(
      '{% for a in (1..100000) %}{% for b in (1..100000) %}xxxxxxxxxxxxxxxxxxxxxxxx{% endfor %}{% endfor %}',
    )
    expect(bomb.statusCode).toBe(422)
    expect(bomb.json().error.details[0]).toMatchObject({ field: 'html', message: expect.stringContaining('render') })
  })

  test('a test send and a send by template_id queue rendered messages; later edits do not change them', async () => {
    const h = await setup()
    const contact = (await h.api('POST', '/api/v1/contacts', { name: 'Ann Lee', email: 'ann@example.com' })).json()
    const t = (
      await h.api('POST', '/api/v1/email-templates', {
        name: 'Offer',
        subject: 'An offer for {{ contact.first_name }}',
        html: '<p>{{ data.offer }}</p>',
      })
    ).json()
    const testSend = await h.api('POST', `/api/v1/email-templates/${t.id}/test`, {
      to: 'me@acme.example',
      contact_id: contact.id,
      data: { offer: '10% off' },
    })
    expect(testSend.statusCode).toBe(202)
    expect(testSend.json()).toMatchObject({
      subject: '[Test] An offer for Ann',
      category: 'template_test',
      contact_id: null,
      template_id: t.id,
      to: 'me@acme.example',
    })
    const sent = await h.api('POST', '/api/v1/emails', {
      to: contact.id,
      template_id: t.id,
      data: { offer: '20% off' },
    })
    expect(sent.statusCode).toBe(202)
    expect(sent.json()).toMatchObject({ subject: 'An offer for Ann', html: '<p>20% off</p>', text: '20% off' })
    await h.api('PATCH', `/api/v1/email-templates/${t.id}`, { subject: 'Changed' })
    expect((await h.api('GET', `/api/v1/emails/${sent.json().id}`)).json().subject).toBe('An offer for Ann')
    const missing = await h.api('POST', '/api/v1/emails', { to: contact.id, template_id: 'etpl_nope' })
    expect(missing.json().error.details[0].field).toBe('template_id')

    const w = await startEmailWorker({
      db: h.deps.db,
      mailer: h.deps.mailer,
      log: h.app.log,
      retryScheduleSec: [0],
      pollMs: 50,
      orgIds: [h.org.id],
    })
    cleanups.push(() => w.stop(2000))
    await eventually(async () => (await h.api('GET', '/api/v1/mailbox')).json().pagination.total === 2)
    const subjects = (await h.api('GET', '/api/v1/mailbox')).json().data.map((m: { subject: string }) => m.subject)
    expect(subjects.sort()).toEqual(['An offer for Ann', '[Test] An offer for Ann'])
  })
})
