-- Email: senders (from-addresses an organization's admin vouches for), templates, the outgoing
-- messages themselves (an outbox claimed by the worker role with `for update skip locked` and a
-- lease), their per-message history, the development mailbox, and which of Rapport's own
-- messages each organization sends.

create table email_senders (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  email text not null,
  name text,
  reply_to text,
  is_default boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index email_senders_email on email_senders (org_id, livemode, lower(email));
-- At most one default sender per organization and mode.
create unique index email_senders_default on email_senders (org_id, livemode) where is_default;
create index email_senders_org on email_senders (org_id, livemode, created_at, id);

create table email_templates (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  name text not null,
  subject text not null,
  html text,
  text text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index email_templates_org on email_templates (org_id, livemode, created_at, id);

-- One row per message. The subject and bodies are rendered when the message is queued, so a later
-- template edit never changes a message already accepted. `message_id` is fixed at that moment too:
-- a message sent again after a crash carries the same Message-ID.
create table emails (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  contact_id text references contacts (id) on delete set null,
  to_email text not null,
  to_name text,
  sender_id text references email_senders (id) on delete set null,
  from_email text not null,
  from_name text,
  reply_to text,
  subject text not null,
  html text,
  text text not null,
  template_id text references email_templates (id) on delete set null,
  -- What sent it: `api`, `template_test`, or one of Rapport's own messages (`booking.confirmed`…).
  category text not null,
  headers jsonb not null default '{}',
  -- [{filename, content_type, content (base64)}]
  attachments jsonb not null default '[]',
  message_id text not null,
  status text not null default 'queued' check (status in ('queued', 'sent', 'delivered', 'failed')),
  -- `smtp` or `mailbox`: where the message went (null while queued).
  transport text,
  attempt_count integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  lease_expires_at timestamptz,
  leased_by text,
  last_error text,
  sent_at timestamptz,
  delivered_at timestamptz,
  failed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index emails_due on emails (next_attempt_at) where status = 'queued';
create index emails_org on emails (org_id, livemode, created_at, id);
create index emails_contact on emails (contact_id, created_at) where contact_id is not null;

-- The history of one message: queued, deferred (a retry is scheduled), sent, delivered, failed.
create table email_events (
  id text primary key,
  email_id text not null references emails (id) on delete cascade,
  type text not null,
  detail text,
  created_at timestamptz not null default now()
);
create index email_events_email on email_events (email_id, created_at, id);

-- The development mailbox: without RAPPORT_SMTP_URL every message is kept here, as the raw MIME
-- that would have been sent. One copy per message, however often a crashed worker retried it.
create table mailbox_messages (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  email_id text not null references emails (id) on delete cascade,
  message_id text not null,
  raw text not null,
  created_at timestamptz not null default now()
);
create unique index mailbox_messages_email on mailbox_messages (email_id);
create index mailbox_messages_org on mailbox_messages (org_id, livemode, created_at, id);

-- Which of Rapport's own messages an organization sends; no row means every one is on.
create table email_settings (
  org_id text primary key references organizations (id) on delete cascade,
  booking_emails boolean not null default true,
  invite_emails boolean not null default true,
  lead_notification_emails boolean not null default true,
  updated_at timestamptz not null default now()
);
