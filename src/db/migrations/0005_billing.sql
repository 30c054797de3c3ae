-- Work orders (jobs done for a customer) and invoices. Money is stored as bigint minor units
-- (cents) and every total is bounded by 2^53 - 1 so it survives JSON and JavaScript numbers.

create table work_orders (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  title text not null,
  description text,
  -- Deleting the contact keeps the work order, unlinked.
  contact_id text references contacts (id) on delete set null,
  scheduled_at timestamptz,
  -- completed and cancelled are final (enforced by the service, which answers 409).
  status text not null default 'scheduled' check (status in ('scheduled', 'in_progress', 'completed', 'cancelled')),
  completed_at timestamptz,
  cancelled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((status = 'completed') = (completed_at is not null)),
  check ((status = 'cancelled') = (cancelled_at is not null))
);
create index work_orders_created on work_orders (org_id, livemode, created_at desc, id desc);
create index work_orders_scheduled on work_orders (org_id, livemode, scheduled_at, id);
create index work_orders_contact on work_orders (contact_id) where contact_id is not null;

-- The last invoice number handed out per organization and mode. Incremented by an upsert in the
-- transaction that creates the invoice: its row lock makes concurrent creates queue, so they get
-- distinct consecutive numbers, and a number is never handed out twice (deleting a draft does not
-- give its number back).
create table invoice_counters (
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  last_number bigint not null check (last_number > 0),
  primary key (org_id, livemode)
);

create table invoices (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  -- The sequence value behind `number` (INV-000042 has 42).
  sequence bigint not null check (sequence > 0),
  number text not null,
  contact_id text references contacts (id) on delete set null,
  -- The contact's name (or company, or email) when it was linked: still readable after the contact is deleted.
  customer_name text,
  work_order_id text references work_orders (id) on delete set null,
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  -- [{description, quantity, unit_amount, amount}], all integers exact in jsonb's numeric.
  line_items jsonb not null default '[]' check (jsonb_typeof(line_items) = 'array'),
  subtotal bigint not null check (subtotal between 0 and 9007199254740991),
  total bigint not null check (total between 0 and 9007199254740991),
  due_date date,
  status text not null default 'draft' check (status in ('draft', 'sent', 'paid', 'void')),
  sent_at timestamptz,
  paid_at timestamptz,
  voided_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, livemode, sequence)
);
create index invoices_created on invoices (org_id, livemode, created_at desc, id desc);
create index invoices_due on invoices (org_id, livemode, due_date, id);
create index invoices_contact on invoices (contact_id) where contact_id is not null;
create index invoices_work_order on invoices (work_order_id) where work_order_id is not null;
