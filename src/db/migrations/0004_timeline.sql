-- Tasks, activities (the timeline) and notes. Each may link to a contact, a deal and (tasks) a user;
-- deleting the linked row keeps these rows and clears the link (on delete set null), so a contact's
-- history survives its deletion. The links are checked against the caller's organization and mode by
-- the services: the foreign keys alone would accept another organization's id.

create table tasks (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  title text not null,
  description text,
  due_at timestamptz,
  status text not null default 'open' check (status in ('open', 'completed')),
  assignee_id text references users (id) on delete set null,
  contact_id text references contacts (id) on delete set null,
  deal_id text references deals (id) on delete set null,
  completed_at timestamptz,
  -- The API key (`key_…`) or, later, the user that completed the task.
  completed_by text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((status = 'completed') = (completed_at is not null))
);
create index tasks_created on tasks (org_id, livemode, created_at desc, id desc);
create index tasks_due on tasks (org_id, livemode, due_at, id);
create index tasks_status_due on tasks (org_id, livemode, status, due_at, id);
create index tasks_contact on tasks (contact_id, created_at desc, id desc) where contact_id is not null;
-- The timeline's "task completed" items.
create index tasks_contact_completed on tasks (contact_id, completed_at desc, id desc)
  where contact_id is not null and completed_at is not null;
create index tasks_deal on tasks (deal_id, created_at desc, id desc) where deal_id is not null;
create index tasks_assignee on tasks (assignee_id, due_at, id) where assignee_id is not null;

create table activities (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  type text not null check (type in ('call', 'email', 'meeting', 'sms', 'note', 'other')),
  summary text not null,
  body text,
  occurred_at timestamptz not null default now(),
  duration_minutes integer check (duration_minutes >= 0),
  contact_id text references contacts (id) on delete set null,
  deal_id text references deals (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index activities_occurred on activities (org_id, livemode, occurred_at desc, id desc);
create index activities_contact on activities (contact_id, occurred_at desc, id desc) where contact_id is not null;
create index activities_deal on activities (deal_id, occurred_at desc, id desc) where deal_id is not null;

create table notes (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  body text not null,
  -- Required on creation; null only once the contact has been deleted.
  contact_id text references contacts (id) on delete set null,
  deal_id text references deals (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index notes_created on notes (org_id, livemode, created_at desc, id desc);
create index notes_contact on notes (contact_id, created_at desc, id desc) where contact_id is not null;
create index notes_deal on notes (deal_id, created_at desc, id desc) where deal_id is not null;

-- The timeline's "deal won" and "deal lost" items (deals_contact in 0003 serves "deal created").
create index deals_contact_closed on deals (contact_id, coalesce(won_at, lost_at) desc)
  where contact_id is not null and (won_at is not null or lost_at is not null);
