-- Dashboard accounts, their sessions and invites, and the audit log of API calls.

-- A user with a password can sign in to the dashboard. An email signs in to one organization only,
-- so a login never has to ask "which organization?".
alter table users add column password_hash text;
create unique index users_login_email on users (lower(email)) where password_hash is not null;

-- A session is found by the SHA-256 of its cookie token: a leaked table row cannot sign anyone in.
create table sessions (
  id text primary key,
  token_hash text not null unique,
  user_id text not null references users (id) on delete cascade,
  org_id text not null references organizations (id) on delete cascade,
  csrf_token text not null,
  ip text,
  user_agent text,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user on sessions (user_id);
create index sessions_expires on sessions (expires_at);

-- An invitation to join an organization: a single-use token (stored hashed) that expires.
create table invites (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  email text not null,
  role text not null check (role in ('admin', 'member')),
  token_hash text not null unique,
  invited_by text references users (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  accepted_at timestamptz,
  accepted_user_id text references users (id) on delete set null,
  revoked_at timestamptz
);
create index invites_org on invites (org_id, created_at desc, id desc);

-- One row per authenticated API call, written in batches off the request path. Cheap to insert:
-- one index, no primary key (ids are ULIDs made by one generator, unique by construction) and no
-- foreign keys (rows outlive revoked keys and removed users). Lists and the retention purge both
-- go through the one index, by organization and time.
create table audit_log (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  occurred_at timestamptz not null,
  method text not null,
  path text not null,
  status integer not null,
  key_id text,
  user_id text,
  ip text,
  duration_ms real not null,
  request_id text not null
);
create index audit_log_org on audit_log (org_id, livemode, occurred_at desc, id desc);
