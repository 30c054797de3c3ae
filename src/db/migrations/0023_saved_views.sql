-- Saved views of the workspace's tables (issue 18): columns, sort, filter and search of a list,
-- kept per person (`owner_id`: the user of a dashboard session, or the API key that made it) and
-- optionally shared with everyone in the organization and mode.
create table saved_views (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  owner_id text not null,
  resource text not null check (resource in ('contacts')),
  name text not null,
  shared boolean not null default false,
  columns jsonb not null,
  sort text,
  filter jsonb,
  q text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- The list a person sees: their own views and the shared ones of one resource, by name.
create index saved_views_list on saved_views (org_id, livemode, resource, lower(name), id);
