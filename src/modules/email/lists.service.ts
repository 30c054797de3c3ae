import { ApiError } from '../../core/errors.js'
import type { PageParams } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Db, Tx } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { newId } from '../../lib/ids.js'
import type { PublicUrl } from '../../lib/public-url.js'
import type { LinkSigner } from './link-signer.js'
import { renderTemplate } from './liquid.js'
import {
  deleteList,
  findContacts,
  findList,
  insertList,
  type ListRow,
  listLists,
  listMembers,
  removeMembers,
  updateList,
  upsertMembers,
} from './lists.repo.js'
import type {
  EmailList,
  EmailListCreate,
  EmailListUpdate,
  ListMember,
  ListMembersChange,
  ListMembersQuery,
} from './lists.schemas.js'
import { findOrgName } from './people.repo.js'
import { queueEmail } from './queue.js'
import { findDefaultSender } from './senders.repo.js'
import type { SystemFrom } from './system.js'

export function toEmailList(row: ListRow): EmailList {
  return {
    id: row.id,
    object: 'email_list',
    name: row.name,
    description: row.description,
    double_opt_in: row.double_opt_in,
    member_count: row.member_count,
    pending_count: row.pending_count,
    unsubscribed_count: row.unsubscribed_count,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }
}

const CONFIRM_SUBJECT = 'Please confirm your subscription to {{ list }}'
const CONFIRM_HTML = `<p>Hello{% if name %} {{ name }}{% endif %},</p>
<p>Please confirm that you want to receive <strong>{{ list }}</strong> from {{ organization }}:</p>
<p><a href="{{ url }}">Yes, subscribe me</a></p>
<p>If you did not ask for this, ignore this message: you will receive nothing more.</p>`

/** Lists with static membership; double opt-in lists send a confirmation message with a signed link. */
export class ListsService {
  constructor(
    private readonly db: Db,
    private readonly links: LinkSigner,
    private readonly publicUrl: PublicUrl,
    private readonly fallbackFrom: SystemFrom,
  ) {}

  async create(scope: TenantScope, input: EmailListCreate): Promise<EmailList> {
    const id = newId('emailList')
    await insertList(this.db, scope, {
      id,
      name: input.name,
      description: input.description ?? null,
      double_opt_in: input.double_opt_in ?? false,
    })
    return this.get(scope, id)
  }

  async get(scope: TenantScope, id: string): Promise<EmailList> {
    const row = await findList(this.db, scope, id)
    if (!row) throw notFound(id)
    return toEmailList(row)
  }

  async list(scope: TenantScope, query: PageParams) {
    const page = await listLists(this.db, scope, query)
    return { ...page, data: page.data.map(toEmailList) }
  }

  async update(scope: TenantScope, id: string, input: EmailListUpdate): Promise<EmailList> {
    if (!(await updateList(this.db, scope, id, input))) throw notFound(id)
    return this.get(scope, id)
  }

  async remove(scope: TenantScope, id: string): Promise<void> {
    if (!(await deleteList(this.db, scope, id))) throw notFound(id)
  }

  /**
   * Adds contacts (all must be the scope's: an unknown id is a 422 naming it). On a double opt-in
   * list they start `pending` and each with an email gets a confirmation message, queued in the
   * same transaction; a contact who had left the list is added back.
   */
  async addMembers(scope: TenantScope, listId: string, input: ListMembersChange) {
    const ids = [...new Set(input.contact_ids)]
    return inTransaction(this.db, async (tx) => {
      const list = await findList(tx, scope, listId)
      if (!list) throw notFound(listId)
      const contacts = await findContacts(tx, scope, ids)
      const known = new Set(contacts.map((c) => c.id))
      const missing = ids.findIndex((id) => !known.has(id))
      if (missing >= 0) {
        throw new ApiError('validation_failed', `Contact ${ids[missing]} not found`, {
          details: [{ field: `contact_ids[${missing}]`, message: 'No such contact' }],
        })
      }
      const status = list.double_opt_in ? 'pending' : 'subscribed'
      const changed = await upsertMembers(tx, scope, listId, ids, status)
      if (status === 'pending') {
        const changedSet = new Set(changed)
        for (const c of contacts) {
          if (changedSet.has(c.id) && c.email) await this.queueConfirmation(tx, scope, list, c)
        }
      }
      return {
        object: 'email_list_members_change' as const,
        changed: changed.length,
        unchanged: ids.length - changed.length,
        pending: status === 'pending' ? changed.length : 0,
      }
    })
  }

  async removeMembers(scope: TenantScope, listId: string, input: ListMembersChange) {
    const ids = [...new Set(input.contact_ids)]
    return inTransaction(this.db, async (tx) => {
      if (!(await findList(tx, scope, listId))) throw notFound(listId)
      const removed = await removeMembers(tx, listId, ids)
      return {
        object: 'email_list_members_change' as const,
        changed: removed,
        unchanged: ids.length - removed,
        pending: 0,
      }
    })
  }

  async members(scope: TenantScope, listId: string, query: ListMembersQuery) {
    if (!(await findList(this.db, scope, listId))) throw notFound(listId)
    const page = await listMembers(this.db, scope, listId, query)
    return {
      ...page,
      data: page.data.map(
        (m): ListMember => ({
          contact_id: m.id,
          object: 'email_list_member',
          email: m.email,
          name: m.name,
          status: m.status,
          confirmed_at: m.confirmed_at?.toISOString() ?? null,
          unsubscribed_at: m.unsubscribed_at?.toISOString() ?? null,
          created_at: m.created_at.toISOString(),
        }),
      ),
    }
  }

  private async queueConfirmation(
    tx: Tx,
    scope: TenantScope,
    list: ListRow,
    contact: { id: string; email: string | null; name: string | null },
  ) {
    const sender = await findDefaultSender(tx, scope)
    const from = sender
      ? { email: sender.email, name: sender.name, senderId: sender.id, replyTo: sender.reply_to }
      : { email: this.fallbackFrom.email, name: this.fallbackFrom.name, senderId: null, replyTo: null }
    const orgName = await findOrgName(tx, scope.orgId)
    const token = this.links.sign('confirm', `${list.id}~${contact.id}`)
    const vars = {
      list: list.name,
      name: contact.name,
      organization: orgName ?? '',
      url: this.publicUrl.link(`/email/confirm/${encodeURIComponent(token)}`),
    }
    await queueEmail(tx, scope, {
      to: { email: contact.email ?? '', name: contact.name, contactId: contact.id },
      from,
      subject: await renderTemplate(CONFIRM_SUBJECT, 'text', vars),
      html: await renderTemplate(CONFIRM_HTML, 'html', vars),
      text: null,
      category: 'list.confirmation',
    })
  }
}

function notFound(id: string) {
  return new ApiError('not_found', `List ${id} not found`)
}
