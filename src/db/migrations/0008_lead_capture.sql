-- Lead capture: teams, the organization's websites (domains), forms, form responses, in-app
-- notifications and "call me back" requests. Every row carries org_id and livemode.

create table teams (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  name text not null,
  description text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index teams_name on teams (org_id, livemode, lower(name));
create index teams_org on teams (org_id, livemode, created_at, id);

-- Hostnames are stored normalized (lower-case, no trailing dot) by the service.
create table domains (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  hostname text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index domains_hostname on domains (org_id, livemode, hostname);
create index domains_org on domains (org_id, livemode, created_at, id);

create table forms (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  name text not null,
  -- Ordered [{key, label, type, required, options}], validated by the service.
  fields jsonb not null default '[]',
  success_message text,
  redirect_url text,
  -- Teams the form's leads and callbacks go to; a deleted team is removed from every form.
  team_ids text[] not null default '{}',
  callback_enabled boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index forms_org on forms (org_id, livemode, created_at, id);

create table form_responses (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  form_id text references forms (id) on delete set null,
  domain_id text references domains (id) on delete set null,
  contact_id text references contacts (id) on delete set null,
  form_type text,
  form_data jsonb not null,
  source_url text,
  user_agent text,
  ip_address text,
  created_at timestamptz not null default now()
);
create index form_responses_org on form_responses (org_id, livemode, created_at, id);
create index form_responses_form on form_responses (form_id, created_at);
-- The timeline's source: a contact's form responses by time.
create index form_responses_contact on form_responses (contact_id, created_at);

create table notifications (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  type text not null,
  title text not null,
  body text,
  contact_id text references contacts (id) on delete set null,
  -- The object the notification is about (a form response, a callback…), if any.
  subject_id text,
  read_at timestamptz,
  created_at timestamptz not null default now()
);
create index notifications_org on notifications (org_id, livemode, created_at, id);
create index notifications_unread on notifications (org_id, livemode, created_at) where read_at is null;

create table callbacks (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  contact_id text not null references contacts (id) on delete cascade,
  form_response_id text references form_responses (id) on delete set null,
  team_id text references teams (id) on delete set null,
  task_id text references tasks (id) on delete set null,
  phone text,
  preferred_time timestamptz,
  status text not null default 'scheduled' check (status in ('scheduled', 'completed')),
  completed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index callbacks_org on callbacks (org_id, livemode, created_at, id);
create index callbacks_contact on callbacks (contact_id);
