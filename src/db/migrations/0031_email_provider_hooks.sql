-- Provider webhooks (docs/deliverability.md, "Provider webhooks"): for users who send through a
-- relay (Amazon SES via SNS, SendGrid, Postmark, Mailgun), one registered hook per URL given to the
-- provider. The URL's last segment is an unguessable token; only its SHA-256 is kept, so the URL is
-- shown once, like an API key. Secrets (Mailgun's signing key, Postmark's basic-auth password) are
-- sealed with the master key like webhook signing secrets.
create table email_provider_hooks (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  provider text not null check (provider in ('ses', 'sendgrid', 'postmark', 'mailgun')),
  description text,
  token_hash text not null,
  -- The first characters of the token, to recognise the URL later.
  token_hint text not null,
  -- ses: the SNS topic allowed (given, or pinned by the first confirmed subscription).
  topic_arn text,
  -- sendgrid: the signed event webhook's verification key (a public key: not secret).
  verification_key text,
  -- postmark: the basic-auth user name.
  username text,
  -- mailgun: the signing key; postmark: the basic-auth password. Sealed; never answered after creation.
  secret_sealed text,
  secret_hint text,
  confirmed_at timestamptz,
  last_received_at timestamptz,
  created_at timestamptz not null default now()
);
create unique index email_provider_hooks_token on email_provider_hooks (token_hash);
create index email_provider_hooks_org on email_provider_hooks (org_id, livemode, created_at, id);

-- What a hook has already taken: the provider's event ids (a retried event records nothing twice)
-- and Mailgun's signature tokens (a reused token is refused). Rows older than the retention the
-- receiver applies are deleted as new ones arrive.
create table email_provider_receipts (
  hook_id text not null references email_provider_hooks (id) on delete cascade,
  key text not null,
  created_at timestamptz not null default now(),
  primary key (hook_id, key)
);
create index email_provider_receipts_age on email_provider_receipts (hook_id, created_at);
