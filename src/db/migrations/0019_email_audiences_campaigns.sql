-- Email audiences and campaigns: each contact's subscription status, lists (static membership,
-- optionally double opt-in), segments (a saved contact search filter evaluated at send time),
-- campaigns and their send ledger (one row per campaign and recipient), and per-send tracking.

-- A contact's email subscription status; no row means `subscribed`. `bounced` and `complained`
-- are set by the bounce/complaint side of email.
create table email_subscriptions (
  contact_id text primary key references contacts (id) on delete cascade,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  status text not null check (status in ('subscribed', 'unsubscribed', 'bounced', 'complained')),
  reason text,
  updated_at timestamptz not null default now()
);
create index email_subscriptions_org on email_subscriptions (org_id, livemode, status);

create table email_lists (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  name text not null,
  description text,
  -- New members start `pending` and get a confirmation message with a signed link.
  double_opt_in boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index email_lists_org on email_lists (org_id, livemode, created_at, id);

create table email_list_members (
  list_id text not null references email_lists (id) on delete cascade,
  contact_id text not null references contacts (id) on delete cascade,
  org_id text not null,
  livemode boolean not null,
  status text not null check (status in ('pending', 'subscribed', 'unsubscribed')),
  confirmed_at timestamptz,
  unsubscribed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (list_id, contact_id)
);
create index email_list_members_page on email_list_members (list_id, created_at, contact_id);
create index email_list_members_contact on email_list_members (contact_id);

create table email_segments (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  name text not null,
  description text,
  -- A filter in the contact search grammar (see contacts/bulk/search-filter.ts).
  filter jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index email_segments_org on email_segments (org_id, livemode, created_at, id);

create table email_campaigns (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  name text not null,
  subject text not null,
  html text,
  text text,
  template_id text references email_templates (id) on delete set null,
  sender_id text references email_senders (id) on delete set null,
  list_ids text[] not null default '{}',
  segment_ids text[] not null default '{}',
  -- Open pixel and click redirects in the HTML part.
  track_opens boolean not null default true,
  track_clicks boolean not null default true,
  status text not null default 'draft'
    check (status in ('draft', 'scheduled', 'sending', 'paused', 'cancelled', 'completed')),
  scheduled_at timestamptz,
  started_at timestamptz,
  paused_at timestamptz,
  cancelled_at timestamptz,
  completed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index email_campaigns_org on email_campaigns (org_id, livemode, created_at, id);
create index email_campaigns_active on email_campaigns (status, scheduled_at) where status in ('scheduled', 'sending');

-- The send ledger: one row per (campaign, recipient). A `pending` row is turned into a queued
-- message (an `emails` row) in the transaction that claims it with `for update skip locked`, so
-- no recipient is queued twice nor skipped; the message itself then goes through the email outbox.
create table email_campaign_sends (
  id text primary key,
  campaign_id text not null references email_campaigns (id) on delete cascade,
  contact_id text references contacts (id) on delete set null,
  org_id text not null,
  livemode boolean not null,
  to_email text not null,
  status text not null check (status in ('pending', 'queued', 'sent', 'delivered', 'failed', 'skipped', 'cancelled')),
  -- Why a row was skipped: unsubscribed, bounced, complained, list_unsubscribed.
  skip_reason text,
  email_id text references emails (id) on delete set null,
  first_opened_at timestamptz,
  open_count integer not null default 0,
  human_open_count integer not null default 0,
  first_clicked_at timestamptz,
  click_count integer not null default 0,
  human_click_count integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index email_campaign_sends_recipient on email_campaign_sends (campaign_id, lower(to_email));
create index email_campaign_sends_pending on email_campaign_sends (campaign_id, id) where status = 'pending';
create index email_campaign_sends_status on email_campaign_sends (campaign_id, status);
create index email_campaign_sends_email on email_campaign_sends (email_id) where email_id is not null;

alter table emails add column campaign_id text references email_campaigns (id) on delete set null;
alter table emails add column campaign_send_id text references email_campaign_sends (id) on delete set null;

-- Each open or click of a tracked message, labelled (not dropped) when a machine made it.
create table email_tracking_events (
  id text primary key,
  org_id text not null,
  livemode boolean not null,
  email_id text not null references emails (id) on delete cascade,
  campaign_id text references email_campaigns (id) on delete cascade,
  type text not null check (type in ('open', 'click')),
  url text,
  user_agent text,
  os text,
  browser text,
  webmail text,
  country text,
  region text,
  machine boolean not null default false,
  machine_reason text,
  created_at timestamptz not null default now()
);
create index email_tracking_events_email on email_tracking_events (email_id, created_at);
create index email_tracking_events_campaign on email_tracking_events (campaign_id, type) where campaign_id is not null;
