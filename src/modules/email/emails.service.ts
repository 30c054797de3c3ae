import { ApiError, invalidField } from '../../core/errors.js'
import type { PageParams } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Db, Executor } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { isoOrNull as iso } from '../../lib/clock.js'
import { isIdOf } from '../../lib/ids.js'
import { findContact, findContactIdBy } from '../contacts/contacts.repo.js'
import { assertNotSuppressed } from '../deliverability/suppressions.service.js'
import {
  type EmailEventRow,
  type EmailRow,
  findEmail,
  findEmailEvents,
  findMailboxMessage,
  listEmails,
  listMailbox,
  type MailboxRow,
} from './emails.repo.js'
import type { Email, EmailCreate, EmailListQuery, MailboxListQuery } from './emails.schemas.js'
import { queueEmail } from './queue.js'
import { findDefaultSender, findSender, findSenderByEmail, type SenderRow } from './senders.repo.js'
import type { TemplatesService } from './templates.service.js'

export function toEmail(row: EmailRow, events?: EmailEventRow[]): Email {
  return {
    id: row.id,
    object: 'email',
    status: row.status,
    to: row.to_email,
    to_name: row.to_name,
    contact_id: row.contact_id,
    from: row.from_email,
    from_name: row.from_name,
    reply_to: row.reply_to,
    subject: row.subject,
    html: row.html,
    text: row.text,
    template_id: row.template_id,
    category: row.category,
    message_id: row.message_id,
    transport: row.transport,
    attempt_count: row.attempt_count,
    last_error: row.last_error,
    next_attempt_at: row.status === 'queued' ? row.next_attempt_at.toISOString() : null,
    sent_at: iso(row.sent_at),
    delivered_at: iso(row.delivered_at),
    failed_at: iso(row.failed_at),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    ...(events
      ? { events: events.map((e) => ({ type: e.type, detail: e.detail, created_at: e.created_at.toISOString() })) }
      : {}),
  }
}

function toMailboxMessage(row: MailboxRow) {
  return {
    id: row.id,
    object: 'mailbox_message' as const,
    email_id: row.email_id,
    message_id: row.message_id,
    from: row.from_email,
    to: row.to_email,
    subject: row.subject,
    html: row.html,
    text: row.text,
    ...(row.raw !== undefined ? { raw: row.raw } : {}),
    created_at: row.created_at.toISOString(),
  }
}

const EMAIL_PATTERN = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/

/**
 * The sender a message goes from: the one named by id or address, else the default. None is a 422
 * naming `from`: Rapport never sends from an address the organization has not added.
 */
export async function resolveSender(db: Executor, scope: TenantScope, from: string | undefined): Promise<SenderRow> {
  if (from === undefined) {
    const sender = await findDefaultSender(db, scope)
    if (!sender)
      throw invalidField('from', 'This organization has no default sender; add one with POST /api/v1/senders')
    return sender
  }
  const sender = isIdOf('emailSender', from)
    ? await findSender(db, scope, from)
    : await findSenderByEmail(db, scope, from)
  if (!sender) throw invalidField('from', `${from} is not a sender of this organization (see POST /api/v1/senders)`)
  return sender
}

/** The recipient: a contact (by id, or found by address) or a bare address. */
async function resolveRecipient(db: Executor, scope: TenantScope, to: string, toName: string | undefined) {
  if (to.startsWith('c_')) {
    const contact = await findContact(db, scope, to)
    if (!contact) throw invalidField('to', `No contact ${to} in this organization`)
    if (!contact.email) throw invalidField('to', `Contact ${to} has no email address`)
    return { email: contact.email, name: toName ?? contact.name, contactId: contact.id }
  }
  if (!EMAIL_PATTERN.test(to)) throw invalidField('to', 'Must be a contact id (c_…) or an email address')
  const contactId = (await findContactIdBy(db, scope, 'email', to)) ?? null
  const contact = contactId ? await findContact(db, scope, contactId) : undefined
  return { email: to, name: toName ?? contact?.name ?? null, contactId }
}

export class EmailsService {
  constructor(
    private readonly db: Db,
    private readonly templates: TemplatesService,
  ) {}

  /** Queues one message (202): rendered now, sent by the worker role. */
  async create(scope: TenantScope, input: EmailCreate): Promise<Email> {
    const hasBody = input.html !== undefined || input.text !== undefined
    if (input.template_id !== undefined && (hasBody || input.subject !== undefined)) {
      throw invalidField('template_id', 'Give either template_id or subject with html/text, not both')
    }
    if (input.template_id === undefined) {
      if (input.subject === undefined) throw invalidField('subject', 'Required unless template_id is given')
      if (!hasBody) throw invalidField('html', 'Give html, text or both (or a template_id)')
    }
    return inTransaction(this.db, async (tx) => {
      const to = await resolveRecipient(tx, scope, input.to, input.to_name)
      await assertNotSuppressed(tx, scope, to.email, input.force === true)
      const sender = await resolveSender(tx, scope, input.from)
      const content =
        input.template_id !== undefined
          ? await this.templates.renderForSend(tx, scope, input.template_id, {
              contactId: to.contactId,
              recipient: to,
              data: input.data ?? {},
            })
          : { subject: input.subject!, html: input.html ?? null, text: input.text ?? null }
      const row = await queueEmail(tx, scope, {
        to,
        from: {
          email: sender.email,
          name: sender.name,
          senderId: sender.id,
          replyTo: input.reply_to ?? sender.reply_to,
        },
        ...content,
        templateId: input.template_id ?? null,
        category: 'api',
        logActivity: true,
      })
      return toEmail(row)
    })
  }

  async get(scope: TenantScope, id: string): Promise<Email> {
    const row = await findEmail(this.db, scope, id)
    if (!row) throw new ApiError('not_found', `Email ${id} not found`)
    return toEmail(row, await findEmailEvents(this.db, id))
  }

  async list(scope: TenantScope, query: EmailListQuery & PageParams) {
    const page = await listEmails(this.db, scope, query)
    return { ...page, data: page.data.map((row) => toEmail(row)) }
  }

  async listMailbox(scope: TenantScope, query: MailboxListQuery & PageParams) {
    const page = await listMailbox(this.db, scope, query)
    return { ...page, data: page.data.map(toMailboxMessage) }
  }

  async getMailboxMessage(scope: TenantScope, id: string) {
    const row = await findMailboxMessage(this.db, scope, id)
    if (!row) throw new ApiError('not_found', `Mailbox message ${id} not found`)
    return toMailboxMessage(row)
  }
}
