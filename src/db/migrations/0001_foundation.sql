-- Organizations, API keys, contacts, tags, the event outbox and idempotency records.

create table organizations (
  id text primary key,
  name text not null,
  plan text not null check (plan in ('free', 'pro', 'teams')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table api_keys (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  name text not null,
  type text not null check (type in ('secret', 'publishable')),
  livemode boolean not null,
  key_hash text not null unique,
  prefix text not null,
  scopes text[] not null,
  allowed_origins text[] not null default '{}',
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz
);
create index api_keys_org on api_keys (org_id, created_at desc, id desc);

create table contacts (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  name text,
  email text,
  phone text,
  company text,
  status text not null,
  source text not null,
  tags text[] not null default '{}',
  custom_fields jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- Email is unique per organization and mode, case-insensitively.
create unique index contacts_email on contacts (org_id, livemode, lower(email)) where email is not null;
create index contacts_created on contacts (org_id, livemode, created_at desc, id desc);
create index contacts_tags on contacts using gin (tags);

create table tags (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  name text not null,
  created_at timestamptz not null default now()
);
create unique index tags_name on tags (org_id, livemode, lower(name));

-- The transactional outbox: written in the transaction of the change it describes.
create table events (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  type text not null,
  data jsonb not null,
  created_at timestamptz not null default now()
);
create index events_recent on events (org_id, livemode, created_at desc, id desc);
create index events_type on events (org_id, livemode, type, created_at desc, id desc);

create table idempotency_keys (
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  idem_key text not null,
  request_hash text not null,
  state text not null check (state in ('running', 'done')),
  response_status integer,
  response_body text,
  response_headers jsonb,
  locked_until timestamptz not null,
  created_at timestamptz not null default now(),
  primary key (org_id, livemode, idem_key)
);
create index idempotency_keys_created on idempotency_keys (created_at);
