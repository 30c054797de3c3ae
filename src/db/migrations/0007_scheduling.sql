-- Scheduling: event types (what can be booked with a host), each host's availability, bookings.
-- Event types and availability belong to the organization and are shared by live and test mode
-- (as users are); bookings carry `livemode` (public booking pages make live-mode bookings).

create table event_types (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  user_id text not null references users (id) on delete cascade,
  slug text not null,
  title text not null,
  description text,
  duration_minutes integer not null check (duration_minutes > 0),
  -- {"type": "video" | "phone" | "address" | "text", "value": "…"} or null.
  location jsonb,
  buffer_before_minutes integer not null default 0 check (buffer_before_minutes >= 0),
  buffer_after_minutes integer not null default 0 check (buffer_after_minutes >= 0),
  minimum_notice_minutes integer not null default 0 check (minimum_notice_minutes >= 0),
  slot_step_minutes integer check (slot_step_minutes > 0),
  max_per_day integer check (max_per_day > 0),
  booking_window_days integer check (booking_window_days > 0),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- A slug names an event type in the host's public URL: unique per host, case-insensitively.
create unique index event_types_slug on event_types (user_id, lower(slug));
create index event_types_org on event_types (org_id, created_at, id);

-- One row per host; no row means no availability, hence no slots.
create table availabilities (
  user_id text primary key references users (id) on delete cascade,
  org_id text not null references organizations (id) on delete cascade,
  weekly jsonb not null,
  overrides jsonb not null default '[]',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table bookings (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  -- Kept after the event type is deleted (its slug and title are copied below).
  event_type_id text references event_types (id) on delete set null,
  event_type_slug text not null,
  event_type_title text not null,
  location jsonb,
  user_id text not null references users (id) on delete cascade,
  contact_id text references contacts (id) on delete set null,
  start_time timestamptz not null,
  end_time timestamptz not null,
  status text not null default 'confirmed' check (status in ('confirmed', 'cancelled')),
  guest_name text not null,
  guest_email text not null,
  guest_timezone text not null,
  notes text,
  -- SHA-256 (hex) of the guest's cancel token; the token itself is shown once, in the booking answer.
  cancel_token_hash text not null,
  cancelled_at timestamptz,
  cancelled_by text check (cancelled_by in ('guest', 'host')),
  cancel_reason text,
  rescheduled_at timestamptz,
  -- The .ics SEQUENCE: bumped by each reschedule and by the cancellation.
  sequence integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (end_time > start_time),
  check ((status = 'cancelled') = (cancelled_at is not null))
);
-- The booking transaction loads a host's bookings around one instant; slot queries over a range.
create index bookings_host_start on bookings (user_id, start_time);
create index bookings_org_start on bookings (org_id, livemode, start_time, id);
create index bookings_event_type on bookings (event_type_id, start_time) where event_type_id is not null;
create index bookings_contact on bookings (contact_id) where contact_id is not null;
