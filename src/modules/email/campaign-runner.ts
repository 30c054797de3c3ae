import type { FastifyBaseLogger } from 'fastify'
import type { Insertable } from 'kysely'
import type { TenantScope } from '../../core/tenancy.js'
import type { Db, Tx } from '../../db/schema.js'
import type { EmailsTable } from '../../db/schema-email.js'
import { inTransaction } from '../../db/transaction.js'
import { newId } from '../../lib/ids.js'
import { emit } from '../../outbox/emit.js'
import { compileFilter } from '../contacts/bulk/search-filter.js'
import {
  claimPendingSends,
  completeIfDone,
  contactsById,
  failUnrenderable,
  queueCampaignEmails,
  queuedInLastSecond,
  skippedSendCount,
  unclaimedCount,
  writeLedger,
} from './campaign-ledger.repo.js'
import type { CampaignComposer } from './campaign-message.js'
import {
  type CampaignRow,
  dueCampaignIds,
  lockCampaignQueue,
  lockDueCampaign,
  lockSendingCampaign,
  markSending,
  sendingCampaignIds,
} from './campaigns.repo.js'
import { messageIdFor } from './compose.js'
import { campaignStarted } from './email.events.js'
import { TemplateError } from './liquid.js'
import { findOrgName } from './people.repo.js'
import { findSegments } from './segments.repo.js'
import { findDefaultSender, findSender } from './senders.repo.js'
import type { SystemFrom } from './system.js'
import { findTemplate } from './templates.repo.js'

export interface CampaignRates {
  /** Campaign messages queued per second, all organizations together. */
  perSecond: number
  /** Campaign messages queued per second for one organization. */
  perOrgPerSecond: number
}

/**
 * Messages queued by one transaction at most; a tick queues more in further transactions while the
 * rates and the backlog allow. Rendering 500 at once held the event loop for about half a second
 * on a loaded machine, stalling the sends beside it (decision 0032).
 */
const QUEUE_BATCH = 100
/** Messages rendered between two yields to the event loop. */
const RENDER_SLICE = 10

/**
 * Moves campaigns forward, one tick at a time (the email worker calls it a few times a second):
 * starts scheduled campaigns that are due (writes their send ledger and emits `campaign.started`),
 * queues pending ledger rows as messages within the rate limits, and completes campaigns with
 * nothing left. Every step is one transaction; a crash anywhere loses nothing and queues nothing twice.
 */
export class CampaignRunner {
  constructor(
    private readonly db: Db,
    private readonly composer: CampaignComposer,
    private readonly opts: {
      rates: CampaignRates
      fallbackFrom: SystemFrom
      log: FastifyBaseLogger
      /** Queued messages not yet claimed by a worker, per campaign, above which nothing more is queued. Default 500. */
      maxBacklog?: number
      orgIds?: readonly string[]
    },
  ) {}

  /** Returns how many messages it queued (the caller wakes the email workers when some were). */
  async tick(): Promise<number> {
    for (const id of await dueCampaignIds(this.db, this.opts.orgIds)) await this.start(id)
    let queued = 0
    for (const id of await sendingCampaignIds(this.db, this.opts.orgIds)) {
      // Batches of QUEUE_BATCH until the rates, the backlog or the ledger stop it.
      for (let n = QUEUE_BATCH; n === QUEUE_BATCH; queued += n) n = await this.queueSome(id)
    }
    return queued
  }

  /** Writes the ledger of a due campaign and makes it `sending`, with `campaign.started`, in one transaction. */
  private async start(id: string): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      const campaign = await lockDueCampaign(tx, id)
      if (!campaign) return
      const scope = scopeOf(campaign)
      const segments = await findSegments(tx, scope, campaign.segment_ids)
      const recipients = await writeLedger(
        tx,
        campaign,
        segments.map((s) => compileFilter(scope, s.filter)),
      )
      await markSending(tx, id)
      await emit(tx, scope, campaignStarted, {
        id,
        name: campaign.name,
        recipients,
        skipped: await skippedSendCount(tx, id),
      })
      await completeIfDone(tx, id)
    })
  }

  private async queueSome(id: string): Promise<number> {
    return inTransaction(this.db, async (tx) => {
      await lockCampaignQueue(tx)
      const campaign = await lockSendingCampaign(tx, id)
      if (!campaign) return 0
      const rate = await queuedInLastSecond(tx, campaign.org_id)
      const backlog = await unclaimedCount(tx, id)
      const budget = Math.min(
        this.opts.rates.perSecond - rate.overall,
        this.opts.rates.perOrgPerSecond - rate.org,
        (this.opts.maxBacklog ?? 500) - backlog,
        QUEUE_BATCH,
      )
      if (budget <= 0) return 0
      const sends = await claimPendingSends(tx, id, budget)
      if (sends.length === 0) {
        await completeIfDone(tx, id)
        return 0
      }
      const emails = await this.compose(tx, campaign, sends)
      await queueCampaignEmails(tx, emails)
      return emails.length
    })
  }

  private async compose(tx: Tx, campaign: CampaignRow, sends: Awaited<ReturnType<typeof claimPendingSends>>) {
    const scope = scopeOf(campaign)
    const sender =
      (campaign.sender_id ? await findSender(tx, scope, campaign.sender_id) : undefined) ??
      (await findDefaultSender(tx, scope))
    const from = sender
      ? { email: sender.email, name: sender.name, senderId: sender.id, replyTo: sender.reply_to }
      : { email: this.opts.fallbackFrom.email, name: this.opts.fallbackFrom.name, senderId: null, replyTo: null }
    const template = campaign.template_id ? await findTemplate(tx, scope, campaign.template_id) : undefined
    const content = template
      ? { subject: campaign.subject || template.subject, html: template.html, text: template.text }
      : { subject: campaign.subject, html: campaign.html, text: campaign.text }
    const render = this.composer.prepare(
      content,
      { id: scope.orgId, name: (await findOrgName(tx, scope.orgId)) ?? null },
      { opens: campaign.track_opens, clicks: campaign.track_clicks },
    )
    const contacts = new Map(
      (
        await contactsById(
          tx,
          scope,
          sends.flatMap((s) => (s.contact_id ? [s.contact_id] : [])),
        )
      ).map((c) => [c.id, c]),
    )
    const rows: Insertable<EmailsTable>[] = []
    for (const [i, send] of sends.entries()) {
      // Rendering is CPU on the thread that also runs the SMTP sessions and the outcome writes:
      // let their I/O through between a few messages instead of after the whole batch.
      if (i > 0 && i % RENDER_SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve))
      const contact = send.contact_id ? contacts.get(send.contact_id) : undefined
      const emailId = newId('email')
      let message: Awaited<ReturnType<typeof render>>
      try {
        message = await render({ sendId: send.id, emailId, contact: contact ?? null, email: send.to_email })
      } catch (err) {
        // A message that cannot be rendered for this contact (a limit of the sandbox) fails alone.
        if (!(err instanceof TemplateError)) throw err
        await failUnrenderable(tx, send.id, err.message)
        continue
      }
      rows.push({
        id: emailId,
        org_id: scope.orgId,
        livemode: scope.livemode,
        contact_id: send.contact_id,
        to_email: send.to_email,
        to_name: contact?.name ?? null,
        sender_id: from.senderId,
        from_email: from.email,
        from_name: from.name,
        reply_to: from.replyTo,
        subject: message.subject,
        html: message.html,
        text: message.text,
        template_id: campaign.template_id,
        category: 'campaign',
        headers: JSON.stringify(message.headers),
        attachments: '[]',
        message_id: messageIdFor(emailId, from.email),
        campaign_id: campaign.id,
        campaign_send_id: send.id,
      })
    }
    return rows
  }
}

function scopeOf(c: { org_id: string; livemode: boolean }): TenantScope {
  return { orgId: c.org_id, livemode: c.livemode }
}
