-- Outbound webhooks: endpoints, one delivery row per (event, endpoint), and every attempt.

create table webhook_endpoints (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  url text not null,
  description text,
  -- Catalog names, or '*' for every event.
  events text[] not null,
  enabled boolean not null default true,
  disabled_reason text,
  disabled_at timestamptz,
  metadata jsonb not null default '{}',
  -- AES-256-GCM, see src/lib/secret-box.ts. The previous secret signs too until it expires.
  secret_encrypted text not null,
  previous_secret_encrypted text,
  previous_secret_expires_at timestamptz,
  -- The compatibility shape (POST /api/v1/webhooks) keeps the caller's own words.
  display_name text,
  kinds text[],
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index webhook_endpoints_org on webhook_endpoints (org_id, livemode, created_at desc, id desc);

create table webhook_deliveries (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  endpoint_id text not null references webhook_endpoints (id) on delete cascade,
  event_id text not null references events (id) on delete cascade,
  event_type text not null,
  status text not null check (status in ('pending', 'succeeded', 'failed')),
  attempt_count integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  -- A worker owns a claimed delivery until its lease expires; after that any worker may take it.
  lease_expires_at timestamptz,
  leased_by text,
  last_attempt_at timestamptz,
  last_status_code integer,
  last_error text,
  succeeded_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (endpoint_id, event_id)
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, created_at desc, id desc);
create index webhook_deliveries_created on webhook_deliveries (created_at);

create table webhook_attempts (
  id text primary key,
  delivery_id text not null references webhook_deliveries (id) on delete cascade,
  endpoint_id text not null,
  attempt_number integer not null,
  started_at timestamptz not null,
  duration_ms integer not null,
  status_code integer,
  response_body text,
  error text,
  next_attempt_at timestamptz
);
create index webhook_attempts_delivery on webhook_attempts (delivery_id, attempt_number);
create index webhook_attempts_endpoint on webhook_attempts (endpoint_id, started_at desc);
