import { ApiError, invalidField } from '../../core/errors.js'
import type { PageParams } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Db, Executor } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { newId } from '../../lib/ids.js'
import { findContact } from '../contacts/contacts.repo.js'
import { findOrg } from '../orgs/orgs.repo.js'
import { textFromHtml } from './compose.js'
import type { Email } from './emails.schemas.js'
import { resolveSender, toEmail } from './emails.service.js'
import { checkTemplate, renderTemplate, TemplateError } from './liquid.js'
import { queueEmail } from './queue.js'
import {
  deleteTemplate,
  findTemplate,
  insertTemplate,
  listTemplates,
  type TemplateRow,
  updateTemplate,
} from './templates.repo.js'
import type {
  DraftPreviewInput,
  Template,
  TemplateCreate,
  TemplatePreviewInput,
  TemplateTestInput,
  TemplateUpdate,
} from './templates.schemas.js'

export function toTemplate(row: TemplateRow): Template {
  return {
    id: row.id,
    object: 'email_template',
    name: row.name,
    subject: row.subject,
    html: row.html,
    text: row.text,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }
}

export interface Rendered {
  subject: string
  html: string | null
  text: string
}

interface Parts {
  subject: string
  html: string | null
  text: string | null
}

/** The person a preview without a contact is rendered for. */
const SAMPLE_CONTACT = { name: 'Jane Doe', email: 'jane@example.com' }

export function contactVariables(c: {
  id?: string
  name: string | null
  email: string | null
  phone?: string | null
  company?: string | null
  status?: string
  tags?: string[]
  custom_fields?: Record<string, unknown>
}) {
  const [first, ...rest] = (c.name ?? '').trim().split(/\s+/)
  return {
    id: c.id ?? null,
    name: c.name,
    first_name: first || null,
    last_name: rest.join(' ') || null,
    email: c.email,
    phone: c.phone ?? null,
    company: c.company ?? null,
    status: c.status ?? null,
    tags: c.tags ?? [],
    custom_fields: c.custom_fields ?? {},
  }
}

/** Checks that every part parses; a syntax error is a 422 naming the part. */
function assertParses(parts: Partial<Parts>) {
  for (const field of ['subject', 'html', 'text'] as const) {
    const source = parts[field]
    if (source == null) continue
    try {
      checkTemplate(source, field === 'html' ? 'html' : 'text')
    } catch (err) {
      throw invalidField(field, `Not valid Liquid: ${(err as Error).message}`)
    }
  }
}

/** Templates in Liquid, rendered with the contact, the organization and the send's `data`. */
export class TemplatesService {
  constructor(private readonly db: Db) {}

  async create(scope: TenantScope, input: TemplateCreate): Promise<Template> {
    if (!input.html && !input.text) throw invalidField('html', 'Give html, text or both')
    assertParses(input)
    const row = await insertTemplate(this.db, scope, {
      id: newId('emailTemplate'),
      name: input.name,
      subject: input.subject,
      html: input.html || null,
      text: input.text || null,
    })
    return toTemplate(row)
  }

  async get(scope: TenantScope, id: string): Promise<Template> {
    const row = await findTemplate(this.db, scope, id)
    if (!row) throw notFound(id)
    return toTemplate(row)
  }

  async list(scope: TenantScope, query: PageParams) {
    const page = await listTemplates(this.db, scope, query)
    return { ...page, data: page.data.map(toTemplate) }
  }

  async update(scope: TenantScope, id: string, input: TemplateUpdate): Promise<Template> {
    return inTransaction(this.db, async (tx) => {
      const current = await findTemplate(tx, scope, id)
      if (!current) throw notFound(id)
      const html = input.html === undefined ? current.html : input.html || null
      const text = input.text === undefined ? current.text : input.text || null
      if (!html && !text) throw invalidField('html', 'A template keeps html, text or both')
      assertParses(input)
      const row = await updateTemplate(tx, scope, id, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.subject !== undefined ? { subject: input.subject } : {}),
        html,
        text,
      })
      if (!row) throw notFound(id)
      return toTemplate(row)
    })
  }

  async remove(scope: TenantScope, id: string): Promise<Template> {
    const row = await deleteTemplate(this.db, scope, id)
    if (!row) throw notFound(id)
    return toTemplate(row)
  }

  /** A saved template rendered for a contact (or a sample one) and `data`. */
  async preview(scope: TenantScope, id: string, input: TemplatePreviewInput): Promise<Rendered> {
    const row = await findTemplate(this.db, scope, id)
    if (!row) throw notFound(id)
    return this.render(this.db, scope, row, input.contact_id ?? null, null, input.data ?? {})
  }

  /** Unsaved content rendered as it would be sent: the live preview while editing. */
  async previewDraft(scope: TenantScope, input: DraftPreviewInput): Promise<Rendered> {
    const parts = { subject: input.subject, html: input.html || null, text: input.text || null }
    assertParses(parts)
    return this.render(this.db, scope, parts, input.contact_id ?? null, null, input.data ?? {})
  }

  /** Queues the rendered template to one address, subject prefixed with `[Test]`. */
  async sendTest(scope: TenantScope, id: string, input: TemplateTestInput): Promise<Email> {
    return inTransaction(this.db, async (tx) => {
      const row = await findTemplate(tx, scope, id)
      if (!row) throw notFound(id)
      const sender = await resolveSender(tx, scope, input.from)
      const rendered = await this.render(tx, scope, row, input.contact_id ?? null, null, input.data ?? {})
      const email = await queueEmail(tx, scope, {
        to: { email: input.to, name: null, contactId: null },
        from: { email: sender.email, name: sender.name, senderId: sender.id, replyTo: sender.reply_to },
        ...rendered,
        subject: `[Test] ${rendered.subject}`,
        templateId: id,
        category: 'template_test',
      })
      return toEmail(email)
    })
  }

  /** For POST /api/v1/emails: the template rendered for the recipient, in the send's transaction. */
  async renderForSend(
    tx: Executor,
    scope: TenantScope,
    id: string,
    who: { contactId: string | null; recipient: { email: string; name: string | null }; data: Record<string, unknown> },
  ): Promise<Rendered> {
    const row = await findTemplate(tx, scope, id)
    if (!row) throw invalidField('template_id', `No template ${id} in this organization`)
    return this.render(tx, scope, row, who.contactId, who.recipient, who.data)
  }

  private async render(
    db: Executor,
    scope: TenantScope,
    parts: Parts,
    contactId: string | null,
    recipient: { email: string; name: string | null } | null,
    data: Record<string, unknown>,
  ): Promise<Rendered> {
    let contact: ReturnType<typeof contactVariables>
    if (contactId) {
      const row = await findContact(db, scope, contactId)
      if (!row) throw invalidField('contact_id', `No contact ${contactId} in this organization`)
      contact = contactVariables(row)
    } else {
      contact = contactVariables(recipient ?? SAMPLE_CONTACT)
    }
    const org = await findOrg(db, scope.orgId)
    const variables = { contact, organization: { id: scope.orgId, name: org?.name ?? null }, data }
    const part = async (field: keyof Parts, kind: 'html' | 'text') => {
      const source = parts[field]
      if (source == null) return null
      try {
        return await renderTemplate(source, kind, variables)
      } catch (err) {
        if (err instanceof TemplateError) throw invalidField(field, `Could not render: ${err.message}`)
        throw err
      }
    }
    const html = await part('html', 'html')
    const text = (await part('text', 'text')) ?? textFromHtml(html ?? '')
    const subject = ((await part('subject', 'text')) ?? '').replace(/[\r\n]+/g, ' ').trim()
    if (!subject) throw invalidField('subject', 'Renders to an empty subject')
    return { subject, html, text }
  }
}

function notFound(id: string) {
  return new ApiError('not_found', `Template ${id} not found`)
}
