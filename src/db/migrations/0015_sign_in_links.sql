-- Single-use links that let one user set a password and sign in: the owner named when an operator
-- creates an organization, a user an operator invites with the CLI, and password resets. Found by
-- the SHA-256 of the token (a leaked row signs nobody in); `used_at` makes a link work once.
create table sign_in_links (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  user_id text not null references users (id) on delete cascade,
  purpose text not null check (purpose in ('activate', 'reset_password')),
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index sign_in_links_user on sign_in_links (user_id);
