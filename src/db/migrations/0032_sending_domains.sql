-- Sending domains: the domains of an organization's senders, each with the DKIM keys Rapport signs
-- its mail with and the result of the last check of the DNS records to publish (DKIM, SPF, DMARC).

-- One row per domain, organization and mode. `dns_check` holds the last SPF and DMARC results
-- ({"spf": {"status", "found", "detail", "expected"}, "dmarc": {…}}); null until checked.
create table sending_domains (
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  -- Lower-case, without a trailing dot.
  domain text not null,
  dns_check jsonb,
  checked_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (org_id, livemode, domain)
);

-- The DKIM keys of a domain. `active` signs; `pending` (after a rotation) waits until a check finds
-- its record published, then becomes active and the previous key `retired`. The private key is
-- sealed with the master key (as webhook secrets are); `public_key` is the record's `p=` value.
create table sending_domain_dkim_keys (
  org_id text not null,
  livemode boolean not null,
  domain text not null,
  selector text not null,
  algorithm text not null default 'rsa-sha256',
  public_key text not null,
  private_key_sealed text not null,
  state text not null check (state in ('active', 'pending', 'retired')),
  -- The last check of `<selector>._domainkey.<domain>`: unchecked, verified, missing, mismatch or error.
  dns_status text not null default 'unchecked',
  dns_found text,
  dns_detail text,
  checked_at timestamptz,
  created_at timestamptz not null default now(),
  activated_at timestamptz,
  retired_at timestamptz,
  primary key (org_id, livemode, domain, selector),
  foreign key (org_id, livemode, domain) references sending_domains (org_id, livemode, domain) on delete cascade
);
create unique index sending_domain_dkim_keys_active on sending_domain_dkim_keys (org_id, livemode, domain)
  where state = 'active';
create unique index sending_domain_dkim_keys_pending on sending_domain_dkim_keys (org_id, livemode, domain)
  where state = 'pending';
