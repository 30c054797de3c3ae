-- Email deliverability: what became of sent mail after the next hop (bounces and complaints, from
-- the SMTP reply, a DSN or feedback report, or a relay's webhook), the addresses no marketing mail
-- goes to any more, and why a campaign paused itself.

-- One row per bounce or complaint. `category`, `smtp_description` and `return_code` are what the
-- Sarbacane-style envelopes carry; `enhanced_code` is the RFC 3463 status (5.1.1) when known.
create table email_bounces (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  email_id text references emails (id) on delete set null,
  campaign_id text references email_campaigns (id) on delete set null,
  address text not null,
  kind text not null check (kind in ('hard', 'soft', 'complaint')),
  category text not null,
  smtp_description text,
  return_code integer,
  enhanced_code text,
  -- Where it was learnt: smtp (the reply at send time), dsn, arf, ses, sendgrid, postmark, mailgun.
  source text not null,
  created_at timestamptz not null default now()
);
create index email_bounces_address on email_bounces (org_id, livemode, lower(address), created_at);
create index email_bounces_campaign on email_bounces (campaign_id, kind) where campaign_id is not null;
create index email_bounces_email on email_bounces (email_id) where email_id is not null;

-- Addresses suppressed for all marketing mail (and refused for transactional mail unless forced).
create table email_suppressions (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  address text not null,
  -- hard_bounce, soft_bounces, complaint, manual
  reason text not null,
  -- What decided it: the bounce ids, a note, the SMTP reply.
  evidence jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create unique index email_suppressions_address on email_suppressions (org_id, livemode, lower(address));
create index email_suppressions_org on email_suppressions (org_id, livemode, created_at, id);

-- Why a campaign is paused: null when a person paused it, else what paused it (the reputation breaker).
alter table email_campaigns add column paused_reason text;
