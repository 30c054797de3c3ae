import type { TenantScope } from '../../core/tenancy.js'
import type { Tx } from '../../db/schema.js'
import type { PublicUrl } from '../../lib/public-url.js'
import { renderTemplate } from './liquid.js'
import { findInviterName, findOrgName, findSignInPeople } from './people.repo.js'
import { queueSystemEmail, type SystemFrom } from './system.js'

/** Rapport's own messages about people and leads are live: they reach real people whatever the mode. */
const live = (orgId: string): TenantScope => ({ orgId, livemode: true })

const INVITE_HTML = `<p>Hello,</p>
<p>{% if inviter %}{{ inviter }} invited you{% else %}You are invited{% endif %} to join <strong>{{ org }}</strong> on Rapport as {{ role }}.</p>
<p><a href="{{ url }}">Accept the invitation</a></p>
<p>The link works once and until {{ expires }}. If you did not expect it, ignore this message.</p>`

const RESET_HTML = `<p>Hello {{ name }},</p>
<p>Someone (we hope you) asked to reset the password you use to sign in to <strong>{{ org }}</strong> on Rapport.</p>
<p><a href="{{ url }}">Choose a new password</a></p>
<p>The link works once and until {{ expires }}; using it signs you out everywhere else. If you did not ask, ignore this message: your password stays as it is.</p>`

const LEAD_HTML = `<p>{{ title }}</p>
{% if body %}<blockquote>{{ body }}</blockquote>
{% endif %}<p><a href="{{ url }}">Open the contact</a></p>`

export interface InviteMessage {
  orgId: string
  to: string
  role: string
  acceptUrl: string
  expiresAt: Date
}

export interface ResetMessage {
  orgId: string
  to: { email: string; name: string }
  url: string
  expiresAt: Date
}

export interface LeadMessage {
  title: string
  body: string | null
  contactId: string
}

/**
 * Team invites, password resets and lead notifications, queued in the caller's transaction through
 * the path of every message (`queueSystemEmail`), each unless the organization turned its kind off.
 */
export class AccountEmails {
  constructor(
    private readonly publicUrl: PublicUrl,
    private readonly fallbackFrom: SystemFrom,
  ) {}

  async invite(tx: Tx, m: InviteMessage): Promise<string | null> {
    const org = await orgName(tx, m.orgId)
    const inviter = await findInviterName(tx, m.orgId, m.to)
    const variables = {
      org,
      role: m.role,
      url: m.acceptUrl,
      expires: m.expiresAt.toUTCString(),
      inviter,
    }
    return queueSystemEmail(tx, live(m.orgId), 'invite_emails', this.fallbackFrom, {
      to: { email: m.to, name: null, contactId: null },
      subject: await renderTemplate('You are invited to {{ org }} on Rapport', 'text', variables),
      html: await renderTemplate(INVITE_HTML, 'html', variables),
      text: null,
      category: 'account.invite',
    })
  }

  async passwordReset(tx: Tx, m: ResetMessage): Promise<string | null> {
    const variables = {
      org: await orgName(tx, m.orgId),
      name: m.to.name,
      url: m.url,
      expires: m.expiresAt.toUTCString(),
    }
    return queueSystemEmail(tx, live(m.orgId), 'password_reset_emails', this.fallbackFrom, {
      to: { email: m.to.email, name: m.to.name, contactId: null },
      subject: 'Reset your Rapport password',
      html: await renderTemplate(RESET_HTML, 'html', variables),
      text: null,
      category: 'account.password_reset',
    })
  }

  /**
   * A new lead, to every person of the organization who signs in (teams have no members of their
   * own: the organization is the team the in-app notification goes to). Test-mode leads email nobody.
   */
  async lead(tx: Tx, scope: TenantScope, m: LeadMessage): Promise<number> {
    if (!scope.livemode) return 0
    const people = await findSignInPeople(tx, scope.orgId)
    const variables = { title: m.title, body: m.body, url: this.publicUrl.link(`/app/contacts/${m.contactId}`) }
    let queued = 0
    for (const person of people) {
      const id = await queueSystemEmail(tx, scope, 'lead_notification_emails', this.fallbackFrom, {
        to: { email: person.email, name: person.name, contactId: null },
        subject: m.title.slice(0, 200),
        html: await renderTemplate(LEAD_HTML, 'html', variables),
        text: null,
        category: 'lead.notification',
      })
      if (!id) break
      queued += 1
    }
    return queued
  }
}

async function orgName(tx: Tx, orgId: string): Promise<string> {
  return (await findOrgName(tx, orgId)) ?? 'your organization'
}
