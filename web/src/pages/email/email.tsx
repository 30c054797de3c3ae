/*
 * The Email area, one lazily loaded chunk (the routes in app.tsx import this file): senders and the
 * transport, lists and segments, templates, campaigns, the development mailbox and the switches of
 * Rapport's own messages. Each screen reads and writes through the email API (docs/email.md);
 * admin-only calls (senders, settings, the transport check) are offered to owners and admins only.
 */
export { CampaignPage } from './campaign.js'
export { CampaignsPage } from './campaigns.js'
export { ListPage } from './list.js'
export { MailboxPage } from './mailbox.js'
export { EmailPage } from './overview.js'
export { SegmentPage } from './segment.js'
export { EmailSettingsPage } from './settings.js'
export { TemplatesPage } from './templates.js'

import './email.css'
