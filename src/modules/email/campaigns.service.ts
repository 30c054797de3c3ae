import { ApiError, invalidField } from '../../core/errors.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Db, Executor, Tx } from '../../db/schema.js'
import type { CampaignStatus } from '../../db/schema-email.js'
import { inTransaction } from '../../db/transaction.js'
import { newId } from '../../lib/ids.js'
import { emit } from '../../outbox/emit.js'
import { findContact } from '../contacts/contacts.repo.js'
import { withdrawUnclaimed } from './campaign-ledger.repo.js'
import type { CampaignComposer } from './campaign-message.js'
import {
  type CampaignCounts,
  type CampaignRow,
  campaignCounts,
  deleteCampaign,
  findCampaign,
  insertCampaign,
  listCampaigns,
  markScheduled,
  resetFailedSends,
  updateCampaign,
} from './campaigns.repo.js'
import type {
  Campaign,
  CampaignCreate,
  CampaignListQuery,
  CampaignSchedule,
  CampaignTestSend,
  CampaignUpdate,
} from './campaigns.schemas.js'
import { campaignPaused } from './email.events.js'
import { resolveSender } from './emails.service.js'
import { checkTemplate, TemplateError } from './liquid.js'
import { findListIds } from './lists.repo.js'
import { findOrgName } from './people.repo.js'
import { queueEmail } from './queue.js'
import { findSegments } from './segments.repo.js'
import { findTemplate } from './templates.repo.js'

/**
 * Pauses a campaign the caller has locked (`for update`) and found sending or scheduled, with
 * `campaign.paused {reason}`: `manual` when a person paused it, else what paused it (the
 * deliverability breaker). Messages no worker has taken yet are taken back.
 */
export async function pauseLockedCampaign(tx: Tx, scope: TenantScope, c: CampaignRow, reason: string): Promise<void> {
  await withdrawUnclaimed(tx, c.id, 'pending')
  await updateCampaign(tx, scope, c.id, {
    status: 'paused',
    paused_at: new Date(),
    paused_reason: reason === 'manual' ? null : reason,
  })
  const counts = (await campaignCounts(tx, [c.id])).get(c.id) ?? EMPTY
  const n = (s: string) => counts.byStatus[s] ?? 0
  await emit(tx, scope, campaignPaused, {
    id: c.id,
    name: c.name,
    sent: n('sent') + n('delivered'),
    pending: n('pending') + n('queued'),
    reason,
  })
}

const EMPTY: CampaignCounts = {
  byStatus: {},
  skippedByReason: {},
  opens: 0,
  humanOpens: 0,
  uniqueOpens: 0,
  uniqueHumanOpens: 0,
  clicks: 0,
  humanClicks: 0,
  uniqueClicks: 0,
}
const iso = (d: Date | null) => d?.toISOString() ?? null

export function toCampaign(row: CampaignRow, counts: CampaignCounts = EMPTY): Campaign {
  const n = (s: string) => counts.byStatus[s] ?? 0
  return {
    id: row.id,
    object: 'campaign',
    name: row.name,
    status: row.status,
    subject: row.subject || null,
    html: row.html,
    text: row.text,
    template_id: row.template_id,
    from: row.sender_id,
    list_ids: row.list_ids,
    segment_ids: row.segment_ids,
    track_opens: row.track_opens,
    track_clicks: row.track_clicks,
    scheduled_at: iso(row.scheduled_at),
    started_at: iso(row.started_at),
    paused_at: iso(row.paused_at),
    paused_reason: row.paused_reason,
    cancelled_at: iso(row.cancelled_at),
    completed_at: iso(row.completed_at),
    stats: {
      recipients: Object.values(counts.byStatus).reduce((a, b) => a + b, 0),
      pending: n('pending'),
      queued: n('queued'),
      sent: n('sent') + n('delivered'),
      delivered: n('delivered'),
      failed: n('failed'),
      skipped: n('skipped'),
      skipped_by_reason: counts.skippedByReason,
      cancelled: n('cancelled'),
      opens: counts.opens,
      human_opens: counts.humanOpens,
      unique_opens: counts.uniqueOpens,
      unique_human_opens: counts.uniqueHumanOpens,
      clicks: counts.clicks,
      human_clicks: counts.humanClicks,
      unique_clicks: counts.uniqueClicks,
    },
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }
}

/** Email campaigns: content, audience, and the state machine draft → scheduled → sending → completed (paused, cancelled). */
export class CampaignsService {
  constructor(
    private readonly db: Db,
    private readonly composer: CampaignComposer,
  ) {}

  async create(scope: TenantScope, input: CampaignCreate): Promise<Campaign> {
    return inTransaction(this.db, async (tx) => {
      const values = await this.checkedValues(tx, scope, input)
      const row = await insertCampaign(tx, scope, { ...values, id: newId('campaign'), name: input.name })
      return toCampaign(row)
    })
  }

  async get(scope: TenantScope, id: string): Promise<Campaign> {
    const row = await findCampaign(this.db, scope, id)
    if (!row) throw notFound(id)
    return toCampaign(row, (await campaignCounts(this.db, [id])).get(id))
  }

  async list(scope: TenantScope, query: CampaignListQuery) {
    const page = await listCampaigns(this.db, scope, query)
    const counts = await campaignCounts(
      this.db,
      page.data.map((c) => c.id),
    )
    return { ...page, data: page.data.map((c) => toCampaign(c, counts.get(c.id))) }
  }

  /** Content and audience change only before sending starts (draft or scheduled). */
  async update(scope: TenantScope, id: string, input: CampaignUpdate): Promise<Campaign> {
    await inTransaction(this.db, async (tx) => {
      const current = await this.locked(tx, scope, id)
      assertStatus(current, ['draft', 'scheduled'], 'changed')
      const values = await this.checkedValues(tx, scope, input)
      await updateCampaign(tx, scope, id, values)
    })
    return this.get(scope, id)
  }

  async remove(scope: TenantScope, id: string): Promise<void> {
    const current = await findCampaign(this.db, scope, id)
    if (!current) throw notFound(id)
    assertStatus(current, ['draft'], 'deleted (cancel it instead)')
    if (!(await deleteCampaign(this.db, scope, id))) throw conflict(id, 'is no longer a draft')
  }

  /** draft → scheduled, for `send_at` or now; checks that it can be sent (content, audience, sender). */
  async schedule(scope: TenantScope, id: string, input: CampaignSchedule): Promise<Campaign> {
    await inTransaction(this.db, async (tx) => {
      const c = await this.locked(tx, scope, id)
      assertStatus(c, ['draft'], 'scheduled')
      if (!c.template_id && !c.subject) throw invalidField('subject', 'The campaign needs a subject (or a template)')
      if (!c.template_id && !c.html && !c.text)
        throw invalidField('html', 'The campaign needs html or text (or a template)')
      if (c.list_ids.length === 0 && c.segment_ids.length === 0) {
        throw invalidField('list_ids', 'The campaign needs at least one list or segment')
      }
      await resolveSender(tx, scope, c.sender_id ?? undefined)
      const sendAt = input.send_at ? new Date(input.send_at) : null
      await markScheduled(tx, id, sendAt)
    })
    return this.get(scope, id)
  }

  /** sending or scheduled → paused: nothing more is queued; messages no worker has taken yet are taken back. */
  async pause(scope: TenantScope, id: string): Promise<Campaign> {
    await inTransaction(this.db, async (tx) => {
      const c = await this.locked(tx, scope, id)
      assertStatus(c, ['sending', 'scheduled'], 'paused')
      await pauseLockedCampaign(tx, scope, c, 'manual')
    })
    return this.get(scope, id)
  }

  /** paused → sending (or scheduled, when it had not started): the rest of the ledger is sent, nobody twice. */
  async resume(scope: TenantScope, id: string): Promise<Campaign> {
    await inTransaction(this.db, async (tx) => {
      const c = await this.locked(tx, scope, id)
      assertStatus(c, ['paused'], 'resumed')
      await updateCampaign(tx, scope, id, { status: c.started_at ? 'sending' : 'scheduled', paused_reason: null })
    })
    return this.get(scope, id)
  }

  /** Stops it for good: recipients not sent yet never are (their rows become `cancelled`). */
  async cancel(scope: TenantScope, id: string): Promise<Campaign> {
    await inTransaction(this.db, async (tx) => {
      const c = await this.locked(tx, scope, id)
      assertStatus(c, ['draft', 'scheduled', 'sending', 'paused'], 'cancelled')
      await withdrawUnclaimed(tx, id, 'cancelled')
      await updateCampaign(tx, scope, id, { status: 'cancelled', cancelled_at: new Date() })
    })
    return this.get(scope, id)
  }

  /** Puts the recipients whose message failed back in the ledger as pending; the campaign sends again. */
  async resendFailed(scope: TenantScope, id: string): Promise<Campaign> {
    await inTransaction(this.db, async (tx) => {
      const c = await this.locked(tx, scope, id)
      assertStatus(c, ['sending', 'paused', 'completed'], 'resent to')
      const reset = await resetFailedSends(tx, id)
      if (reset > 0 && c.status === 'completed') {
        await updateCampaign(tx, scope, id, { status: 'sending', completed_at: null })
      }
    })
    return this.get(scope, id)
  }

  /** Queues one message of the campaign's content to `to` (subject prefixed `[Test]`), rendered for a contact or a sample. */
  async testSend(scope: TenantScope, id: string, input: CampaignTestSend) {
    return inTransaction(this.db, async (tx) => {
      const c = await findCampaign(tx, scope, id)
      if (!c) throw notFound(id)
      const sender = await resolveSender(tx, scope, c.sender_id ?? undefined)
      const contact = input.contact_id ? await findContact(tx, scope, input.contact_id) : undefined
      if (input.contact_id && !contact) throw invalidField('contact_id', `No contact ${input.contact_id}`)
      const template = c.template_id ? await findTemplate(tx, scope, c.template_id) : undefined
      const content = template
        ? { subject: c.subject || template.subject, html: template.html, text: template.text }
        : { subject: c.subject, html: c.html, text: c.text }
      if (!content.subject || (!content.html && !content.text)) {
        throw invalidField('html', 'The campaign has no content to send yet')
      }
      const orgName = await findOrgName(tx, scope.orgId)
      let message: Awaited<ReturnType<ReturnType<CampaignComposer['prepare']>>>
      try {
        const render = this.composer.prepare(content, { id: scope.orgId, name: orgName ?? null })
        message = await render({
          sendId: `test~${id}`,
          emailId: 'test',
          contact: contact ?? { name: 'Jane Doe', email: 'jane@example.com' },
          email: input.to,
        })
      } catch (err) {
        if (err instanceof TemplateError) throw invalidField('html', `Could not render: ${err.message}`)
        throw err
      }
      const email = await queueEmail(tx, scope, {
        to: { email: input.to, name: null, contactId: null },
        from: { email: sender.email, name: sender.name, senderId: sender.id, replyTo: sender.reply_to },
        subject: `[Test] ${message.subject}`,
        html: message.html,
        text: message.text,
        templateId: c.template_id,
        category: 'campaign_test',
        headers: message.headers,
      })
      return { object: 'campaign_test' as const, email_id: email.id, status: 'queued' as const }
    })
  }

  private async locked(tx: Tx, scope: TenantScope, id: string): Promise<CampaignRow> {
    const row = await findCampaign(tx, scope, id, true)
    if (!row) throw notFound(id)
    return row
  }

  /** Checks the references of a create or update (422 naming the field) and maps them to columns. */
  private async checkedValues(db: Executor, scope: TenantScope, input: CampaignUpdate) {
    for (const field of ['subject', 'html', 'text'] as const) {
      const source = input[field]
      if (source == null) continue
      try {
        checkTemplate(source, field === 'html' ? 'html' : 'text')
      } catch (err) {
        throw invalidField(field, `Not valid Liquid: ${(err as Error).message}`)
      }
    }
    if (input.template_id && !(await findTemplate(db, scope, input.template_id))) {
      throw invalidField('template_id', `No template ${input.template_id} in this organization`)
    }
    const senderId =
      input.from === undefined
        ? undefined
        : input.from === null
          ? null
          : (await resolveSender(db, scope, input.from)).id
    if (input.list_ids?.length) {
      const ids = new Set(await findListIds(db, scope, input.list_ids))
      const i = input.list_ids.findIndex((l) => !ids.has(l))
      if (i >= 0) throw invalidField(`list_ids[${i}]`, `No list ${input.list_ids[i]} in this organization`)
    }
    if (input.segment_ids?.length) {
      const ids = new Set((await findSegments(db, scope, input.segment_ids)).map((s) => s.id))
      const i = input.segment_ids.findIndex((s) => !ids.has(s))
      if (i >= 0) throw invalidField(`segment_ids[${i}]`, `No segment ${input.segment_ids[i]} in this organization`)
    }
    return {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.subject !== undefined ? { subject: input.subject ?? '' } : {}),
      ...(input.html !== undefined ? { html: input.html } : {}),
      ...(input.text !== undefined ? { text: input.text } : {}),
      ...(input.template_id !== undefined ? { template_id: input.template_id } : {}),
      ...(senderId !== undefined ? { sender_id: senderId } : {}),
      ...(input.list_ids !== undefined ? { list_ids: [...new Set(input.list_ids)] } : {}),
      ...(input.segment_ids !== undefined ? { segment_ids: [...new Set(input.segment_ids)] } : {}),
      ...(input.track_opens !== undefined ? { track_opens: input.track_opens } : {}),
      ...(input.track_clicks !== undefined ? { track_clicks: input.track_clicks } : {}),
    }
  }
}

function assertStatus(c: CampaignRow, allowed: CampaignStatus[], verb: string) {
  if (!allowed.includes(c.status)) {
    throw conflict(c.id, `is ${c.status}: only a campaign that is ${allowed.join(' or ')} can be ${verb}`)
  }
}

function conflict(id: string, why: string) {
  return new ApiError('conflict', `Campaign ${id} ${why}`)
}

function notFound(id: string) {
  return new ApiError('not_found', `Campaign ${id} not found`)
}
