-- The CRM core every later resource links to: the organization's currency, its people (users),
-- pipelines with ordered stages, and deals.

alter table organizations add column currency text not null default 'USD';

-- People of an organization: deal owners, task assignees, booking hosts, dashboard logins.
-- Shared by live and test mode (they are real people); usernames are unique installation-wide
-- because they appear in public booking URLs.
create table users (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  name text not null,
  email text not null,
  username text not null,
  timezone text not null default 'UTC',
  role text not null default 'member' check (role in ('owner', 'admin', 'member')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index users_username on users (lower(username));
create unique index users_email on users (org_id, lower(email));
create index users_org on users (org_id, created_at desc, id desc);

-- A pipeline is an ordered list of stages; every organization has, in each mode, exactly one
-- default pipeline (where deals go without a pipeline_id). Positions are dense (0, 1, 2…) and kept
-- so by the service, which serializes reorders per organization and mode.
create table pipelines (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  name text not null,
  position integer not null check (position >= 0),
  is_default boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index pipelines_org on pipelines (org_id, livemode, position, id);
-- Also what makes the lazy creation of the default pipeline idempotent under concurrency
-- (insert … on conflict do nothing).
create unique index pipelines_one_default on pipelines (org_id, livemode) where is_default;

create table stages (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  pipeline_id text not null references pipelines (id) on delete cascade,
  name text not null,
  position integer not null check (position >= 0),
  -- open stages hold open deals; a deal moved to a won or lost stage takes that status.
  kind text not null default 'open' check (kind in ('open', 'won', 'lost')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- The target of deals' (stage_id, pipeline_id) key: a deal's stage always belongs to its pipeline.
  unique (id, pipeline_id)
);
create index stages_pipeline on stages (pipeline_id, position, id);

create table deals (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  title text not null,
  -- Exact decimal; formatted to the currency's minor digits on the way out.
  value numeric(20, 4) not null default 0 check (value >= 0),
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  -- No action: a pipeline that still holds deals cannot be deleted.
  pipeline_id text not null references pipelines (id),
  -- Restrict: a stage that still holds deals cannot be deleted.
  stage_id text not null references stages (id),
  contact_id text references contacts (id) on delete set null,
  owner_id text references users (id) on delete set null,
  expected_close_date date,
  status text not null default 'open' check (status in ('open', 'won', 'lost')),
  lost_reason text,
  won_at timestamptz,
  lost_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint deals_stage_in_pipeline foreign key (stage_id, pipeline_id) references stages (id, pipeline_id)
);
create index deals_created on deals (org_id, livemode, created_at desc, id desc);
create index deals_stage on deals (stage_id);
create index deals_pipeline on deals (pipeline_id);
create index deals_contact on deals (contact_id) where contact_id is not null;
create index deals_owner on deals (owner_id) where owner_id is not null;
-- Events name stages, so names are unique within a pipeline (and pipelines within an organization).
create unique index pipelines_name on pipelines (org_id, livemode, lower(name));
create unique index stages_name on stages (pipeline_id, lower(name));
-- At most one won and one lost stage per pipeline: where `status: won` sends a deal is never ambiguous.
create unique index stages_one_closing on stages (pipeline_id, kind) where kind <> 'open';
