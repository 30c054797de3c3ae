-- Generated from src/db/migrations by npm run schema; do not edit by hand.

create extension btree_gin;
create extension pg_trgm;

create table activities (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  type text not null,
  summary text not null,
  body text,
  occurred_at timestamp with time zone not null default now(),
  duration_minutes integer,
  contact_id text,
  deal_id text,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint activities_contact_id_fkey FOREIGN KEY (contact_id) REFERENCES contacts(id) ON DELETE SET NULL,
  constraint activities_deal_id_fkey FOREIGN KEY (deal_id) REFERENCES deals(id) ON DELETE SET NULL,
  constraint activities_duration_minutes_check CHECK ((duration_minutes >= 0)),
  constraint activities_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint activities_pkey PRIMARY KEY (id),
  constraint activities_type_check CHECK ((type = ANY (ARRAY['call'::text, 'email'::text, 'meeting'::text, 'sms'::text, 'note'::text, 'other'::text])))
);
CREATE INDEX activities_contact ON activities USING btree (contact_id, occurred_at DESC, id DESC) WHERE (contact_id IS NOT NULL);
CREATE INDEX activities_deal ON activities USING btree (deal_id, occurred_at DESC, id DESC) WHERE (deal_id IS NOT NULL);
CREATE INDEX activities_occurred ON activities USING btree (org_id, livemode, occurred_at DESC, id DESC);
CREATE UNIQUE INDEX activities_pkey ON activities USING btree (id);
CREATE INDEX activities_type ON activities USING btree (org_id, livemode, type, occurred_at DESC, id DESC);

create table api_keys (
  id text not null,
  org_id text not null,
  name text not null,
  type text not null,
  livemode boolean not null,
  key_hash text not null,
  prefix text not null,
  scopes text[] not null,
  allowed_origins text[] not null default '{}'::text[],
  created_at timestamp with time zone not null default now(),
  last_used_at timestamp with time zone,
  expires_at timestamp with time zone,
  revoked_at timestamp with time zone,
  created_by_user_id text,
  constraint api_keys_key_hash_key UNIQUE (key_hash),
  constraint api_keys_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint api_keys_pkey PRIMARY KEY (id),
  constraint api_keys_type_check CHECK ((type = ANY (ARRAY['secret'::text, 'publishable'::text])))
);
CREATE UNIQUE INDEX api_keys_key_hash_key ON api_keys USING btree (key_hash);
CREATE INDEX api_keys_org ON api_keys USING btree (org_id, created_at DESC, id DESC);
CREATE UNIQUE INDEX api_keys_pkey ON api_keys USING btree (id);

create table audit_log (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  occurred_at timestamp with time zone not null,
  method text not null,
  path text not null,
  status integer not null,
  key_id text,
  user_id text,
  ip text,
  duration_ms real not null,
  request_id text not null
);
CREATE INDEX audit_log_occurred_brin ON audit_log USING brin (occurred_at);
CREATE INDEX audit_log_org ON audit_log USING btree (org_id, livemode, occurred_at DESC, id DESC);

create table availabilities (
  user_id text not null,
  org_id text not null,
  weekly jsonb not null,
  overrides jsonb not null default '[]'::jsonb,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint availabilities_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint availabilities_pkey PRIMARY KEY (user_id),
  constraint availabilities_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX availabilities_pkey ON availabilities USING btree (user_id);

create table bookings (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  event_type_id text,
  event_type_slug text not null,
  event_type_title text not null,
  location jsonb,
  user_id text not null,
  contact_id text,
  start_time timestamp with time zone not null,
  end_time timestamp with time zone not null,
  status text not null default 'confirmed'::text,
  guest_name text not null,
  guest_email text not null,
  guest_timezone text not null,
  notes text,
  cancel_token_hash text not null,
  cancelled_at timestamp with time zone,
  cancelled_by text,
  cancel_reason text,
  rescheduled_at timestamp with time zone,
  sequence integer not null default 0,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint bookings_cancelled_by_check CHECK ((cancelled_by = ANY (ARRAY['guest'::text, 'host'::text]))),
  constraint bookings_check CHECK ((end_time > start_time)),
  constraint bookings_check1 CHECK (((status = 'cancelled'::text) = (cancelled_at IS NOT NULL))),
  constraint bookings_contact_id_fkey FOREIGN KEY (contact_id) REFERENCES contacts(id) ON DELETE SET NULL,
  constraint bookings_event_type_id_fkey FOREIGN KEY (event_type_id) REFERENCES event_types(id) ON DELETE SET NULL,
  constraint bookings_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint bookings_pkey PRIMARY KEY (id),
  constraint bookings_status_check CHECK ((status = ANY (ARRAY['confirmed'::text, 'cancelled'::text]))),
  constraint bookings_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);
CREATE INDEX bookings_contact ON bookings USING btree (contact_id) WHERE (contact_id IS NOT NULL);
CREATE INDEX bookings_event_type ON bookings USING btree (event_type_id, start_time) WHERE (event_type_id IS NOT NULL);
CREATE INDEX bookings_host_start ON bookings USING btree (user_id, start_time);
CREATE INDEX bookings_org_start ON bookings USING btree (org_id, livemode, start_time, id);
CREATE UNIQUE INDEX bookings_pkey ON bookings USING btree (id);

create table callbacks (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  contact_id text not null,
  form_response_id text,
  team_id text,
  task_id text,
  phone text,
  preferred_time timestamp with time zone,
  status text not null default 'scheduled'::text,
  completed_at timestamp with time zone,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint callbacks_contact_id_fkey FOREIGN KEY (contact_id) REFERENCES contacts(id) ON DELETE CASCADE,
  constraint callbacks_form_response_id_fkey FOREIGN KEY (form_response_id) REFERENCES form_responses(id) ON DELETE SET NULL,
  constraint callbacks_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint callbacks_pkey PRIMARY KEY (id),
  constraint callbacks_status_check CHECK ((status = ANY (ARRAY['scheduled'::text, 'completed'::text]))),
  constraint callbacks_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks(id) ON DELETE SET NULL,
  constraint callbacks_team_id_fkey FOREIGN KEY (team_id) REFERENCES teams(id) ON DELETE SET NULL
);
CREATE INDEX callbacks_contact ON callbacks USING btree (contact_id);
CREATE INDEX callbacks_org ON callbacks USING btree (org_id, livemode, created_at, id);
CREATE UNIQUE INDEX callbacks_pkey ON callbacks USING btree (id);

create table contact_tags (
  contact_id text not null,
  tag text not null,
  org_id text not null,
  livemode boolean not null,
  status text not null,
  created_at timestamp with time zone not null,
  name text,
  email text,
  company text,
  source text not null,
  owner_id text,
  updated_at timestamp with time zone not null,
  constraint contact_tags_pkey PRIMARY KEY (contact_id, tag)
);
CREATE INDEX contact_tags_company_asc ON contact_tags USING btree (org_id, livemode, tag, ((lower(company) IS NULL)), lower(company), contact_id);
CREATE INDEX contact_tags_company_desc ON contact_tags USING btree (org_id, livemode, tag, ((lower(company) IS NOT NULL)), lower(company), contact_id);
CREATE INDEX contact_tags_email_asc ON contact_tags USING btree (org_id, livemode, tag, ((lower(email) IS NULL)), lower(email), contact_id);
CREATE INDEX contact_tags_email_desc ON contact_tags USING btree (org_id, livemode, tag, ((lower(email) IS NOT NULL)), lower(email), contact_id);
CREATE INDEX contact_tags_name_asc ON contact_tags USING btree (org_id, livemode, tag, ((lower(name) IS NULL)), lower(name), contact_id);
CREATE INDEX contact_tags_name_desc ON contact_tags USING btree (org_id, livemode, tag, ((lower(name) IS NOT NULL)), lower(name), contact_id);
CREATE INDEX contact_tags_newest ON contact_tags USING btree (org_id, livemode, tag, created_at DESC, contact_id DESC);
CREATE INDEX contact_tags_owner_asc ON contact_tags USING btree (org_id, livemode, tag, ((owner_id IS NULL)), owner_id, contact_id);
CREATE INDEX contact_tags_owner_desc ON contact_tags USING btree (org_id, livemode, tag, ((owner_id IS NOT NULL)), owner_id, contact_id);
CREATE UNIQUE INDEX contact_tags_pkey ON contact_tags USING btree (contact_id, tag);
CREATE INDEX contact_tags_source_sort ON contact_tags USING btree (org_id, livemode, tag, source, contact_id);
CREATE INDEX contact_tags_status ON contact_tags USING btree (org_id, livemode, tag, status, created_at DESC, contact_id DESC);
CREATE INDEX contact_tags_status_sort ON contact_tags USING btree (org_id, livemode, tag, status, contact_id);
CREATE INDEX contact_tags_updated ON contact_tags USING btree (org_id, livemode, tag, updated_at DESC, contact_id DESC);

create table contacts (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  name text,
  email text,
  phone text,
  company text,
  status text not null,
  source text not null,
  tags text[] not null default '{}'::text[],
  custom_fields jsonb not null default '{}'::jsonb,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  external_id text,
  owner_id text,
  constraint contacts_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint contacts_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES users(id) ON DELETE SET NULL,
  constraint contacts_pkey PRIMARY KEY (id)
);
CREATE INDEX contacts_company_asc ON contacts USING btree (org_id, livemode, ((lower(company) IS NULL)), lower(company), id);
CREATE INDEX contacts_company_desc ON contacts USING btree (org_id, livemode, ((lower(company) IS NOT NULL)), lower(company), id);
CREATE INDEX contacts_created ON contacts USING btree (org_id, livemode, created_at DESC, id DESC);
CREATE INDEX contacts_custom_fields ON contacts USING gin (custom_fields jsonb_path_ops);
CREATE UNIQUE INDEX contacts_email ON contacts USING btree (org_id, livemode, lower(email)) WHERE (email IS NOT NULL);
CREATE INDEX contacts_email_asc ON contacts USING btree (org_id, livemode, ((lower(email) IS NULL)), lower(email), id);
CREATE INDEX contacts_email_desc ON contacts USING btree (org_id, livemode, ((lower(email) IS NOT NULL)), lower(email), id);
CREATE UNIQUE INDEX contacts_external_id ON contacts USING btree (org_id, livemode, external_id) WHERE (external_id IS NOT NULL);
CREATE INDEX contacts_name_asc ON contacts USING btree (org_id, livemode, ((lower(name) IS NULL)), lower(name), id);
CREATE INDEX contacts_name_desc ON contacts USING btree (org_id, livemode, ((lower(name) IS NOT NULL)), lower(name), id);
CREATE INDEX contacts_owner ON contacts USING btree (owner_id, livemode, created_at DESC, id DESC) WHERE (owner_id IS NOT NULL);
CREATE INDEX contacts_owner_asc ON contacts USING btree (org_id, livemode, ((owner_id IS NULL)), owner_id, id);
CREATE INDEX contacts_owner_desc ON contacts USING btree (org_id, livemode, ((owner_id IS NOT NULL)), owner_id, id);
CREATE UNIQUE INDEX contacts_pkey ON contacts USING btree (id);
CREATE INDEX contacts_search ON contacts USING gin (name gin_trgm_ops, email gin_trgm_ops, phone gin_trgm_ops, company gin_trgm_ops);
CREATE INDEX contacts_source ON contacts USING btree (org_id, livemode, source, created_at DESC, id DESC);
CREATE INDEX contacts_source_sort ON contacts USING btree (org_id, livemode, source, id);
CREATE INDEX contacts_status ON contacts USING btree (org_id, livemode, status, created_at DESC, id DESC);
CREATE INDEX contacts_status_sort ON contacts USING btree (org_id, livemode, status, id);
CREATE INDEX contacts_tag_filters ON contacts USING gin (tags, status, source);
CREATE INDEX contacts_updated ON contacts USING btree (org_id, livemode, updated_at DESC, id DESC);
CREATE TRIGGER contact_tags_deleted AFTER DELETE ON contacts REFERENCING OLD TABLE AS contact_tags_old FOR EACH STATEMENT EXECUTE FUNCTION contact_tags_deleted();
CREATE TRIGGER contact_tags_inserted AFTER INSERT ON contacts REFERENCING NEW TABLE AS contact_tags_new FOR EACH STATEMENT EXECUTE FUNCTION contact_tags_inserted();
CREATE TRIGGER contact_tags_updated AFTER UPDATE OF tags, status, created_at, name, email, company, source, owner_id, updated_at ON contacts FOR EACH ROW WHEN ((((cardinality(old.tags) > 0) OR (cardinality(new.tags) > 0)) AND ((old.tags IS DISTINCT FROM new.tags) OR (old.status IS DISTINCT FROM new.status) OR (old.created_at IS DISTINCT FROM new.created_at) OR (old.name IS DISTINCT FROM new.name) OR (old.email IS DISTINCT FROM new.email) OR (old.company IS DISTINCT FROM new.company) OR (old.source IS DISTINCT FROM new.source) OR (old.owner_id IS DISTINCT FROM new.owner_id) OR (old.updated_at IS DISTINCT FROM new.updated_at)))) EXECUTE FUNCTION contact_tags_updated();

create table deals (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  title text not null,
  value numeric(20,4) not null default 0,
  currency text not null,
  pipeline_id text not null,
  stage_id text not null,
  contact_id text,
  owner_id text,
  expected_close_date date,
  status text not null default 'open'::text,
  lost_reason text,
  won_at timestamp with time zone,
  lost_at timestamp with time zone,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  won_reason text,
  constraint deals_contact_id_fkey FOREIGN KEY (contact_id) REFERENCES contacts(id) ON DELETE SET NULL,
  constraint deals_currency_check CHECK ((currency ~ '^[A-Z]{3}$'::text)),
  constraint deals_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint deals_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES users(id) ON DELETE SET NULL,
  constraint deals_pipeline_id_fkey FOREIGN KEY (pipeline_id) REFERENCES pipelines(id),
  constraint deals_pkey PRIMARY KEY (id),
  constraint deals_stage_id_fkey FOREIGN KEY (stage_id) REFERENCES stages(id),
  constraint deals_stage_in_pipeline FOREIGN KEY (stage_id, pipeline_id) REFERENCES stages(id, pipeline_id),
  constraint deals_status_check CHECK ((status = ANY (ARRAY['open'::text, 'won'::text, 'lost'::text]))),
  constraint deals_value_check CHECK ((value >= (0)::numeric))
);
CREATE INDEX deals_contact ON deals USING btree (contact_id) WHERE (contact_id IS NOT NULL);
CREATE INDEX deals_contact_closed ON deals USING btree (contact_id, COALESCE(won_at, lost_at) DESC) WHERE ((contact_id IS NOT NULL) AND ((won_at IS NOT NULL) OR (lost_at IS NOT NULL)));
CREATE INDEX deals_created ON deals USING btree (org_id, livemode, created_at DESC, id DESC);
CREATE INDEX deals_owner ON deals USING btree (owner_id) WHERE (owner_id IS NOT NULL);
CREATE INDEX deals_pipeline ON deals USING btree (pipeline_id);
CREATE UNIQUE INDEX deals_pkey ON deals USING btree (id);
CREATE INDEX deals_stage ON deals USING btree (stage_id);
CREATE INDEX deals_title ON deals USING btree (org_id, livemode, lower(title), id);
CREATE INDEX deals_updated ON deals USING btree (org_id, livemode, updated_at DESC, id DESC);

create table domains (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  hostname text not null,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint domains_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint domains_pkey PRIMARY KEY (id)
);
CREATE UNIQUE INDEX domains_hostname ON domains USING btree (org_id, livemode, hostname);
CREATE INDEX domains_org ON domains USING btree (org_id, livemode, created_at, id);
CREATE UNIQUE INDEX domains_pkey ON domains USING btree (id);

create table email_bounces (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  email_id text,
  campaign_id text,
  address text not null,
  kind text not null,
  category text not null,
  smtp_description text,
  return_code integer,
  enhanced_code text,
  source text not null,
  created_at timestamp with time zone not null default now(),
  constraint email_bounces_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES email_campaigns(id) ON DELETE SET NULL,
  constraint email_bounces_email_id_fkey FOREIGN KEY (email_id) REFERENCES emails(id) ON DELETE SET NULL,
  constraint email_bounces_kind_check CHECK ((kind = ANY (ARRAY['hard'::text, 'soft'::text, 'complaint'::text]))),
  constraint email_bounces_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint email_bounces_pkey PRIMARY KEY (id)
);
CREATE INDEX email_bounces_address ON email_bounces USING btree (org_id, livemode, lower(address), created_at);
CREATE INDEX email_bounces_campaign ON email_bounces USING btree (campaign_id, kind) WHERE (campaign_id IS NOT NULL);
CREATE INDEX email_bounces_email ON email_bounces USING btree (email_id) WHERE (email_id IS NOT NULL);
CREATE UNIQUE INDEX email_bounces_pkey ON email_bounces USING btree (id);

create table email_campaign_sends (
  id text not null,
  campaign_id text not null,
  contact_id text,
  org_id text not null,
  livemode boolean not null,
  to_email text not null,
  status text not null,
  skip_reason text,
  email_id text,
  first_opened_at timestamp with time zone,
  open_count integer not null default 0,
  human_open_count integer not null default 0,
  first_clicked_at timestamp with time zone,
  click_count integer not null default 0,
  human_click_count integer not null default 0,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint email_campaign_sends_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES email_campaigns(id) ON DELETE CASCADE,
  constraint email_campaign_sends_contact_id_fkey FOREIGN KEY (contact_id) REFERENCES contacts(id) ON DELETE SET NULL,
  constraint email_campaign_sends_email_id_fkey FOREIGN KEY (email_id) REFERENCES emails(id) ON DELETE SET NULL,
  constraint email_campaign_sends_pkey PRIMARY KEY (id),
  constraint email_campaign_sends_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'queued'::text, 'sent'::text, 'delivered'::text, 'failed'::text, 'skipped'::text, 'cancelled'::text])))
);
CREATE INDEX email_campaign_sends_email ON email_campaign_sends USING btree (email_id) WHERE (email_id IS NOT NULL);
CREATE INDEX email_campaign_sends_pending ON email_campaign_sends USING btree (campaign_id, id) WHERE (status = 'pending'::text);
CREATE UNIQUE INDEX email_campaign_sends_pkey ON email_campaign_sends USING btree (id);
CREATE UNIQUE INDEX email_campaign_sends_recipient ON email_campaign_sends USING btree (campaign_id, lower(to_email));
CREATE INDEX email_campaign_sends_status ON email_campaign_sends USING btree (campaign_id, status);

create table email_campaigns (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  name text not null,
  subject text not null,
  html text,
  text text,
  template_id text,
  sender_id text,
  list_ids text[] not null default '{}'::text[],
  segment_ids text[] not null default '{}'::text[],
  track_opens boolean not null default true,
  track_clicks boolean not null default true,
  status text not null default 'draft'::text,
  scheduled_at timestamp with time zone,
  started_at timestamp with time zone,
  paused_at timestamp with time zone,
  cancelled_at timestamp with time zone,
  completed_at timestamp with time zone,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  paused_reason text,
  constraint email_campaigns_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint email_campaigns_pkey PRIMARY KEY (id),
  constraint email_campaigns_sender_id_fkey FOREIGN KEY (sender_id) REFERENCES email_senders(id) ON DELETE SET NULL,
  constraint email_campaigns_status_check CHECK ((status = ANY (ARRAY['draft'::text, 'scheduled'::text, 'sending'::text, 'paused'::text, 'cancelled'::text, 'completed'::text]))),
  constraint email_campaigns_template_id_fkey FOREIGN KEY (template_id) REFERENCES email_templates(id) ON DELETE SET NULL
);
CREATE INDEX email_campaigns_active ON email_campaigns USING btree (status, scheduled_at) WHERE (status = ANY (ARRAY['scheduled'::text, 'sending'::text]));
CREATE INDEX email_campaigns_org ON email_campaigns USING btree (org_id, livemode, created_at, id);
CREATE UNIQUE INDEX email_campaigns_pkey ON email_campaigns USING btree (id);

create table email_events (
  id text not null,
  email_id text not null,
  type text not null,
  detail text,
  created_at timestamp with time zone not null default now(),
  constraint email_events_email_id_fkey FOREIGN KEY (email_id) REFERENCES emails(id) ON DELETE CASCADE,
  constraint email_events_pkey PRIMARY KEY (id)
);
CREATE INDEX email_events_email ON email_events USING btree (email_id, created_at, id);
CREATE UNIQUE INDEX email_events_pkey ON email_events USING btree (id);

create table email_inbound_reports (
  email_id text not null,
  source text not null,
  org_id text not null,
  livemode boolean not null,
  recipient text not null,
  report_message_id text,
  detail text,
  bounce_id text,
  created_at timestamp with time zone not null default now(),
  constraint email_inbound_reports_bounce_id_fkey FOREIGN KEY (bounce_id) REFERENCES email_bounces(id) ON DELETE SET NULL,
  constraint email_inbound_reports_email_id_fkey FOREIGN KEY (email_id) REFERENCES emails(id) ON DELETE CASCADE,
  constraint email_inbound_reports_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint email_inbound_reports_pkey PRIMARY KEY (email_id, source),
  constraint email_inbound_reports_source_check CHECK ((source = ANY (ARRAY['dsn'::text, 'arf'::text])))
);
CREATE INDEX email_inbound_reports_bounce ON email_inbound_reports USING btree (bounce_id) WHERE (bounce_id IS NOT NULL);
CREATE INDEX email_inbound_reports_org ON email_inbound_reports USING btree (org_id, livemode, created_at);
CREATE UNIQUE INDEX email_inbound_reports_pkey ON email_inbound_reports USING btree (email_id, source);

create table email_list_members (
  list_id text not null,
  contact_id text not null,
  org_id text not null,
  livemode boolean not null,
  status text not null,
  confirmed_at timestamp with time zone,
  unsubscribed_at timestamp with time zone,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint email_list_members_contact_id_fkey FOREIGN KEY (contact_id) REFERENCES contacts(id) ON DELETE CASCADE,
  constraint email_list_members_list_id_fkey FOREIGN KEY (list_id) REFERENCES email_lists(id) ON DELETE CASCADE,
  constraint email_list_members_pkey PRIMARY KEY (list_id, contact_id),
  constraint email_list_members_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'subscribed'::text, 'unsubscribed'::text])))
);
CREATE INDEX email_list_members_contact ON email_list_members USING btree (contact_id);
CREATE INDEX email_list_members_page ON email_list_members USING btree (list_id, created_at, contact_id);
CREATE UNIQUE INDEX email_list_members_pkey ON email_list_members USING btree (list_id, contact_id);

create table email_lists (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  name text not null,
  description text,
  double_opt_in boolean not null default false,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint email_lists_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint email_lists_pkey PRIMARY KEY (id)
);
CREATE INDEX email_lists_org ON email_lists USING btree (org_id, livemode, created_at, id);
CREATE UNIQUE INDEX email_lists_pkey ON email_lists USING btree (id);

create table email_provider_hooks (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  provider text not null,
  description text,
  token_hash text not null,
  token_hint text not null,
  topic_arn text,
  verification_key text,
  username text,
  secret_sealed text,
  secret_hint text,
  confirmed_at timestamp with time zone,
  last_received_at timestamp with time zone,
  created_at timestamp with time zone not null default now(),
  constraint email_provider_hooks_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint email_provider_hooks_pkey PRIMARY KEY (id),
  constraint email_provider_hooks_provider_check CHECK ((provider = ANY (ARRAY['ses'::text, 'sendgrid'::text, 'postmark'::text, 'mailgun'::text])))
);
CREATE INDEX email_provider_hooks_org ON email_provider_hooks USING btree (org_id, livemode, created_at, id);
CREATE UNIQUE INDEX email_provider_hooks_pkey ON email_provider_hooks USING btree (id);
CREATE UNIQUE INDEX email_provider_hooks_token ON email_provider_hooks USING btree (token_hash);

create table email_provider_receipts (
  hook_id text not null,
  key text not null,
  created_at timestamp with time zone not null default now(),
  constraint email_provider_receipts_hook_id_fkey FOREIGN KEY (hook_id) REFERENCES email_provider_hooks(id) ON DELETE CASCADE,
  constraint email_provider_receipts_pkey PRIMARY KEY (hook_id, key)
);
CREATE INDEX email_provider_receipts_age ON email_provider_receipts USING btree (hook_id, created_at);
CREATE UNIQUE INDEX email_provider_receipts_pkey ON email_provider_receipts USING btree (hook_id, key);

create table email_segments (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  name text not null,
  description text,
  filter jsonb not null,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint email_segments_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint email_segments_pkey PRIMARY KEY (id)
);
CREATE INDEX email_segments_org ON email_segments USING btree (org_id, livemode, created_at, id);
CREATE UNIQUE INDEX email_segments_pkey ON email_segments USING btree (id);

create table email_senders (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  email text not null,
  name text,
  reply_to text,
  is_default boolean not null default false,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint email_senders_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint email_senders_pkey PRIMARY KEY (id)
);
CREATE UNIQUE INDEX email_senders_default ON email_senders USING btree (org_id, livemode) WHERE is_default;
CREATE UNIQUE INDEX email_senders_email ON email_senders USING btree (org_id, livemode, lower(email));
CREATE INDEX email_senders_org ON email_senders USING btree (org_id, livemode, created_at, id);
CREATE UNIQUE INDEX email_senders_pkey ON email_senders USING btree (id);

create table email_settings (
  org_id text not null,
  booking_emails boolean not null default true,
  invite_emails boolean not null default true,
  lead_notification_emails boolean not null default true,
  updated_at timestamp with time zone not null default now(),
  password_reset_emails boolean not null default true,
  constraint email_settings_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint email_settings_pkey PRIMARY KEY (org_id)
);
CREATE UNIQUE INDEX email_settings_pkey ON email_settings USING btree (org_id);

create table email_subscriptions (
  contact_id text not null,
  org_id text not null,
  livemode boolean not null,
  status text not null,
  reason text,
  updated_at timestamp with time zone not null default now(),
  constraint email_subscriptions_contact_id_fkey FOREIGN KEY (contact_id) REFERENCES contacts(id) ON DELETE CASCADE,
  constraint email_subscriptions_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint email_subscriptions_pkey PRIMARY KEY (contact_id),
  constraint email_subscriptions_status_check CHECK ((status = ANY (ARRAY['subscribed'::text, 'unsubscribed'::text, 'bounced'::text, 'complained'::text])))
);
CREATE INDEX email_subscriptions_org ON email_subscriptions USING btree (org_id, livemode, status);
CREATE UNIQUE INDEX email_subscriptions_pkey ON email_subscriptions USING btree (contact_id);

create table email_suppressions (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  address text not null,
  reason text not null,
  evidence jsonb not null default '{}'::jsonb,
  created_at timestamp with time zone not null default now(),
  constraint email_suppressions_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint email_suppressions_pkey PRIMARY KEY (id)
);
CREATE UNIQUE INDEX email_suppressions_address ON email_suppressions USING btree (org_id, livemode, lower(address));
CREATE INDEX email_suppressions_org ON email_suppressions USING btree (org_id, livemode, created_at, id);
CREATE UNIQUE INDEX email_suppressions_pkey ON email_suppressions USING btree (id);

create table email_templates (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  name text not null,
  subject text not null,
  html text,
  text text,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint email_templates_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint email_templates_pkey PRIMARY KEY (id)
);
CREATE INDEX email_templates_org ON email_templates USING btree (org_id, livemode, created_at, id);
CREATE UNIQUE INDEX email_templates_pkey ON email_templates USING btree (id);

create table email_tracking_events (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  email_id text not null,
  campaign_id text,
  type text not null,
  url text,
  user_agent text,
  os text,
  browser text,
  webmail text,
  country text,
  region text,
  machine boolean not null default false,
  machine_reason text,
  created_at timestamp with time zone not null default now(),
  constraint email_tracking_events_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES email_campaigns(id) ON DELETE CASCADE,
  constraint email_tracking_events_email_id_fkey FOREIGN KEY (email_id) REFERENCES emails(id) ON DELETE CASCADE,
  constraint email_tracking_events_pkey PRIMARY KEY (id),
  constraint email_tracking_events_type_check CHECK ((type = ANY (ARRAY['open'::text, 'click'::text])))
);
CREATE INDEX email_tracking_events_campaign ON email_tracking_events USING btree (campaign_id, type) WHERE (campaign_id IS NOT NULL);
CREATE INDEX email_tracking_events_email ON email_tracking_events USING btree (email_id, created_at);
CREATE UNIQUE INDEX email_tracking_events_pkey ON email_tracking_events USING btree (id);

create table emails (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  contact_id text,
  to_email text not null,
  to_name text,
  sender_id text,
  from_email text not null,
  from_name text,
  reply_to text,
  subject text not null,
  html text,
  text text not null,
  template_id text,
  category text not null,
  headers jsonb not null default '{}'::jsonb,
  attachments jsonb not null default '[]'::jsonb,
  message_id text not null,
  status text not null default 'queued'::text,
  transport text,
  attempt_count integer not null default 0,
  next_attempt_at timestamp with time zone not null default now(),
  lease_expires_at timestamp with time zone,
  leased_by text,
  last_error text,
  sent_at timestamp with time zone,
  delivered_at timestamp with time zone,
  failed_at timestamp with time zone,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  campaign_id text,
  campaign_send_id text,
  constraint emails_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES email_campaigns(id) ON DELETE SET NULL,
  constraint emails_campaign_send_id_fkey FOREIGN KEY (campaign_send_id) REFERENCES email_campaign_sends(id) ON DELETE SET NULL,
  constraint emails_contact_id_fkey FOREIGN KEY (contact_id) REFERENCES contacts(id) ON DELETE SET NULL,
  constraint emails_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint emails_pkey PRIMARY KEY (id),
  constraint emails_sender_id_fkey FOREIGN KEY (sender_id) REFERENCES email_senders(id) ON DELETE SET NULL,
  constraint emails_status_check CHECK ((status = ANY (ARRAY['queued'::text, 'sent'::text, 'delivered'::text, 'failed'::text]))),
  constraint emails_template_id_fkey FOREIGN KEY (template_id) REFERENCES email_templates(id) ON DELETE SET NULL
);
CREATE INDEX emails_campaign_recent ON emails USING btree (created_at, org_id) WHERE (campaign_id IS NOT NULL);
CREATE INDEX emails_contact ON emails USING btree (contact_id, created_at) WHERE (contact_id IS NOT NULL);
CREATE INDEX emails_due ON emails USING btree (next_attempt_at) WHERE (status = 'queued'::text);
CREATE INDEX emails_org ON emails USING btree (org_id, livemode, created_at, id);
CREATE UNIQUE INDEX emails_pkey ON emails USING btree (id);

create table event_types (
  id text not null,
  org_id text not null,
  user_id text not null,
  slug text not null,
  title text not null,
  description text,
  duration_minutes integer not null,
  location jsonb,
  buffer_before_minutes integer not null default 0,
  buffer_after_minutes integer not null default 0,
  minimum_notice_minutes integer not null default 0,
  slot_step_minutes integer,
  max_per_day integer,
  booking_window_days integer,
  active boolean not null default true,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint event_types_booking_window_days_check CHECK ((booking_window_days > 0)),
  constraint event_types_buffer_after_minutes_check CHECK ((buffer_after_minutes >= 0)),
  constraint event_types_buffer_before_minutes_check CHECK ((buffer_before_minutes >= 0)),
  constraint event_types_duration_minutes_check CHECK ((duration_minutes > 0)),
  constraint event_types_max_per_day_check CHECK ((max_per_day > 0)),
  constraint event_types_minimum_notice_minutes_check CHECK ((minimum_notice_minutes >= 0)),
  constraint event_types_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint event_types_pkey PRIMARY KEY (id),
  constraint event_types_slot_step_minutes_check CHECK ((slot_step_minutes > 0)),
  constraint event_types_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);
CREATE INDEX event_types_org ON event_types USING btree (org_id, created_at, id);
CREATE UNIQUE INDEX event_types_pkey ON event_types USING btree (id);
CREATE UNIQUE INDEX event_types_slug ON event_types USING btree (user_id, lower(slug));

create table events (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  type text not null,
  data jsonb not null,
  created_at timestamp with time zone not null default now(),
  constraint events_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint events_pkey PRIMARY KEY (id)
);
CREATE INDEX events_created_brin ON events USING brin (created_at);
CREATE UNIQUE INDEX events_pkey ON events USING btree (id);
CREATE INDEX events_recent ON events USING btree (org_id, livemode, created_at DESC, id DESC);
CREATE INDEX events_type ON events USING btree (org_id, livemode, type, created_at DESC, id DESC);

create table form_responses (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  form_id text,
  domain_id text,
  contact_id text,
  form_type text,
  form_data jsonb not null,
  source_url text,
  user_agent text,
  ip_address text,
  created_at timestamp with time zone not null default now(),
  constraint form_responses_contact_id_fkey FOREIGN KEY (contact_id) REFERENCES contacts(id) ON DELETE SET NULL,
  constraint form_responses_domain_id_fkey FOREIGN KEY (domain_id) REFERENCES domains(id) ON DELETE SET NULL,
  constraint form_responses_form_id_fkey FOREIGN KEY (form_id) REFERENCES forms(id) ON DELETE SET NULL,
  constraint form_responses_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint form_responses_pkey PRIMARY KEY (id)
);
CREATE INDEX form_responses_contact ON form_responses USING btree (contact_id, created_at);
CREATE INDEX form_responses_form ON form_responses USING btree (form_id, created_at);
CREATE INDEX form_responses_org ON form_responses USING btree (org_id, livemode, created_at, id);
CREATE UNIQUE INDEX form_responses_pkey ON form_responses USING btree (id);

create table forms (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  name text not null,
  fields jsonb not null default '[]'::jsonb,
  success_message text,
  redirect_url text,
  team_ids text[] not null default '{}'::text[],
  callback_enabled boolean not null default false,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint forms_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint forms_pkey PRIMARY KEY (id)
);
CREATE INDEX forms_org ON forms USING btree (org_id, livemode, created_at, id);
CREATE UNIQUE INDEX forms_pkey ON forms USING btree (id);

create table idempotency_keys (
  org_id text not null,
  livemode boolean not null,
  idem_key text not null,
  request_hash text not null,
  state text not null,
  response_status integer,
  response_body text,
  response_headers jsonb,
  locked_until timestamp with time zone not null,
  created_at timestamp with time zone not null default now(),
  constraint idempotency_keys_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint idempotency_keys_pkey PRIMARY KEY (org_id, livemode, idem_key),
  constraint idempotency_keys_state_check CHECK ((state = ANY (ARRAY['running'::text, 'done'::text])))
);
CREATE INDEX idempotency_keys_created ON idempotency_keys USING btree (created_at);
CREATE UNIQUE INDEX idempotency_keys_pkey ON idempotency_keys USING btree (org_id, livemode, idem_key);

create table import_chunks (
  import_id text not null,
  seq integer not null,
  data bytea not null,
  constraint import_chunks_import_id_fkey FOREIGN KEY (import_id) REFERENCES imports(id) ON DELETE CASCADE,
  constraint import_chunks_pkey PRIMARY KEY (import_id, seq)
);
CREATE UNIQUE INDEX import_chunks_pkey ON import_chunks USING btree (import_id, seq);

create table import_errors (
  import_id text not null,
  row_number integer not null,
  message text not null,
  constraint import_errors_import_id_fkey FOREIGN KEY (import_id) REFERENCES imports(id) ON DELETE CASCADE,
  constraint import_errors_pkey PRIMARY KEY (import_id, row_number)
);
CREATE UNIQUE INDEX import_errors_pkey ON import_errors USING btree (import_id, row_number);

create table imports (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  status text not null,
  file_name text,
  bytes bigint not null,
  sha256 text not null,
  mapping text,
  imported_by text not null,
  rows_total integer,
  rows_read integer not null default 0,
  created integer not null default 0,
  updated integer not null default 0,
  failed integer not null default 0,
  error text,
  attempts integer not null default 0,
  leased_by text,
  lease_expires_at timestamp with time zone,
  created_at timestamp with time zone not null default now(),
  started_at timestamp with time zone,
  finished_at timestamp with time zone,
  updated_at timestamp with time zone not null default now(),
  constraint imports_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint imports_pkey PRIMARY KEY (id),
  constraint imports_status_check CHECK ((status = ANY (ARRAY['receiving'::text, 'queued'::text, 'running'::text, 'completed'::text, 'failed'::text])))
);
CREATE INDEX imports_due ON imports USING btree (created_at) WHERE (status = ANY (ARRAY['queued'::text, 'running'::text]));
CREATE INDEX imports_finished ON imports USING btree (finished_at) WHERE (finished_at IS NOT NULL);
CREATE INDEX imports_list ON imports USING btree (org_id, livemode, created_at DESC, id DESC);
CREATE UNIQUE INDEX imports_pkey ON imports USING btree (id);

create table invites (
  id text not null,
  org_id text not null,
  email text not null,
  role text not null,
  token_hash text not null,
  invited_by text,
  created_at timestamp with time zone not null default now(),
  expires_at timestamp with time zone not null,
  accepted_at timestamp with time zone,
  accepted_user_id text,
  revoked_at timestamp with time zone,
  created_by_user_id text,
  created_by_operator boolean not null default false,
  constraint invites_accepted_user_id_fkey FOREIGN KEY (accepted_user_id) REFERENCES users(id) ON DELETE SET NULL,
  constraint invites_invited_by_fkey FOREIGN KEY (invited_by) REFERENCES users(id) ON DELETE SET NULL,
  constraint invites_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint invites_pkey PRIMARY KEY (id),
  constraint invites_role_check CHECK ((role = ANY (ARRAY['owner'::text, 'admin'::text, 'member'::text]))),
  constraint invites_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX invites_org ON invites USING btree (org_id, created_at DESC, id DESC);
CREATE UNIQUE INDEX invites_pkey ON invites USING btree (id);
CREATE UNIQUE INDEX invites_token_hash_key ON invites USING btree (token_hash);

create table invoice_counters (
  org_id text not null,
  livemode boolean not null,
  last_number bigint not null,
  constraint invoice_counters_last_number_check CHECK ((last_number > 0)),
  constraint invoice_counters_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint invoice_counters_pkey PRIMARY KEY (org_id, livemode)
);
CREATE UNIQUE INDEX invoice_counters_pkey ON invoice_counters USING btree (org_id, livemode);

create table invoices (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  sequence bigint not null,
  number text not null,
  contact_id text,
  customer_name text,
  work_order_id text,
  currency text not null,
  line_items jsonb not null default '[]'::jsonb,
  subtotal bigint not null,
  total bigint not null,
  due_date date,
  status text not null default 'draft'::text,
  sent_at timestamp with time zone,
  paid_at timestamp with time zone,
  voided_at timestamp with time zone,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint invoices_contact_id_fkey FOREIGN KEY (contact_id) REFERENCES contacts(id) ON DELETE SET NULL,
  constraint invoices_currency_check CHECK ((currency ~ '^[A-Z]{3}$'::text)),
  constraint invoices_line_items_check CHECK ((jsonb_typeof(line_items) = 'array'::text)),
  constraint invoices_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint invoices_org_id_livemode_sequence_key UNIQUE (org_id, livemode, sequence),
  constraint invoices_pkey PRIMARY KEY (id),
  constraint invoices_sequence_check CHECK ((sequence > 0)),
  constraint invoices_status_check CHECK ((status = ANY (ARRAY['draft'::text, 'sent'::text, 'paid'::text, 'void'::text]))),
  constraint invoices_subtotal_check CHECK (((subtotal >= 0) AND (subtotal <= '9007199254740991'::bigint))),
  constraint invoices_total_check CHECK (((total >= 0) AND (total <= '9007199254740991'::bigint))),
  constraint invoices_work_order_id_fkey FOREIGN KEY (work_order_id) REFERENCES work_orders(id) ON DELETE SET NULL
);
CREATE INDEX invoices_contact ON invoices USING btree (contact_id) WHERE (contact_id IS NOT NULL);
CREATE INDEX invoices_created ON invoices USING btree (org_id, livemode, created_at DESC, id DESC);
CREATE INDEX invoices_due ON invoices USING btree (org_id, livemode, due_date, id);
CREATE UNIQUE INDEX invoices_org_id_livemode_sequence_key ON invoices USING btree (org_id, livemode, sequence);
CREATE UNIQUE INDEX invoices_pkey ON invoices USING btree (id);
CREATE INDEX invoices_work_order ON invoices USING btree (work_order_id) WHERE (work_order_id IS NOT NULL);

create table mailbox_messages (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  email_id text not null,
  message_id text not null,
  raw text not null,
  created_at timestamp with time zone not null default now(),
  constraint mailbox_messages_email_id_fkey FOREIGN KEY (email_id) REFERENCES emails(id) ON DELETE CASCADE,
  constraint mailbox_messages_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint mailbox_messages_pkey PRIMARY KEY (id)
);
CREATE UNIQUE INDEX mailbox_messages_email ON mailbox_messages USING btree (email_id);
CREATE INDEX mailbox_messages_org ON mailbox_messages USING btree (org_id, livemode, created_at, id);
CREATE UNIQUE INDEX mailbox_messages_pkey ON mailbox_messages USING btree (id);

create table notes (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  body text not null,
  contact_id text,
  deal_id text,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint notes_contact_id_fkey FOREIGN KEY (contact_id) REFERENCES contacts(id) ON DELETE SET NULL,
  constraint notes_deal_id_fkey FOREIGN KEY (deal_id) REFERENCES deals(id) ON DELETE SET NULL,
  constraint notes_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint notes_pkey PRIMARY KEY (id)
);
CREATE INDEX notes_contact ON notes USING btree (contact_id, created_at DESC, id DESC) WHERE (contact_id IS NOT NULL);
CREATE INDEX notes_created ON notes USING btree (org_id, livemode, created_at DESC, id DESC);
CREATE INDEX notes_deal ON notes USING btree (deal_id, created_at DESC, id DESC) WHERE (deal_id IS NOT NULL);
CREATE UNIQUE INDEX notes_pkey ON notes USING btree (id);

create table notifications (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  type text not null,
  title text not null,
  body text,
  contact_id text,
  subject_id text,
  read_at timestamp with time zone,
  created_at timestamp with time zone not null default now(),
  constraint notifications_contact_id_fkey FOREIGN KEY (contact_id) REFERENCES contacts(id) ON DELETE SET NULL,
  constraint notifications_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint notifications_pkey PRIMARY KEY (id)
);
CREATE INDEX notifications_org ON notifications USING btree (org_id, livemode, created_at, id);
CREATE UNIQUE INDEX notifications_pkey ON notifications USING btree (id);
CREATE INDEX notifications_unread ON notifications USING btree (org_id, livemode, created_at) WHERE (read_at IS NULL);

create table organizations (
  id text not null,
  name text not null,
  plan text not null,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  currency text not null default 'USD'::text,
  constraint organizations_pkey PRIMARY KEY (id),
  constraint organizations_plan_check CHECK ((plan = ANY (ARRAY['free'::text, 'pro'::text, 'teams'::text, 'enterprise'::text])))
);
CREATE UNIQUE INDEX organizations_pkey ON organizations USING btree (id);

create table pipelines (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  name text not null,
  position integer not null,
  is_default boolean not null default false,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint pipelines_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint pipelines_pkey PRIMARY KEY (id),
  constraint pipelines_position_check CHECK (("position" >= 0))
);
CREATE UNIQUE INDEX pipelines_name ON pipelines USING btree (org_id, livemode, lower(name));
CREATE UNIQUE INDEX pipelines_one_default ON pipelines USING btree (org_id, livemode) WHERE is_default;
CREATE INDEX pipelines_org ON pipelines USING btree (org_id, livemode, "position", id);
CREATE UNIQUE INDEX pipelines_pkey ON pipelines USING btree (id);

create table saved_views (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  owner_id text not null,
  resource text not null,
  name text not null,
  shared boolean not null default false,
  columns jsonb not null,
  sort text,
  filter jsonb,
  q text,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint saved_views_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint saved_views_pkey PRIMARY KEY (id),
  constraint saved_views_resource_check CHECK ((resource = 'contacts'::text))
);
CREATE INDEX saved_views_list ON saved_views USING btree (org_id, livemode, resource, lower(name), id);
CREATE UNIQUE INDEX saved_views_pkey ON saved_views USING btree (id);

create table schema_migrations (
  version integer not null,
  name text not null,
  applied_at timestamp with time zone not null default now(),
  checksum text,
  constraint schema_migrations_pkey PRIMARY KEY (version)
);
CREATE UNIQUE INDEX schema_migrations_pkey ON schema_migrations USING btree (version);

create table sending_domain_dkim_keys (
  org_id text not null,
  livemode boolean not null,
  domain text not null,
  selector text not null,
  algorithm text not null default 'rsa-sha256'::text,
  public_key text not null,
  private_key_sealed text not null,
  state text not null,
  dns_status text not null default 'unchecked'::text,
  dns_found text,
  dns_detail text,
  checked_at timestamp with time zone,
  created_at timestamp with time zone not null default now(),
  activated_at timestamp with time zone,
  retired_at timestamp with time zone,
  constraint sending_domain_dkim_keys_org_id_livemode_domain_fkey FOREIGN KEY (org_id, livemode, domain) REFERENCES sending_domains(org_id, livemode, domain) ON DELETE CASCADE,
  constraint sending_domain_dkim_keys_pkey PRIMARY KEY (org_id, livemode, domain, selector),
  constraint sending_domain_dkim_keys_state_check CHECK ((state = ANY (ARRAY['active'::text, 'pending'::text, 'retired'::text])))
);
CREATE UNIQUE INDEX sending_domain_dkim_keys_active ON sending_domain_dkim_keys USING btree (org_id, livemode, domain) WHERE (state = 'active'::text);
CREATE UNIQUE INDEX sending_domain_dkim_keys_pending ON sending_domain_dkim_keys USING btree (org_id, livemode, domain) WHERE (state = 'pending'::text);
CREATE UNIQUE INDEX sending_domain_dkim_keys_pkey ON sending_domain_dkim_keys USING btree (org_id, livemode, domain, selector);

create table sending_domains (
  org_id text not null,
  livemode boolean not null,
  domain text not null,
  dns_check jsonb,
  checked_at timestamp with time zone,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint sending_domains_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint sending_domains_pkey PRIMARY KEY (org_id, livemode, domain)
);
CREATE UNIQUE INDEX sending_domains_pkey ON sending_domains USING btree (org_id, livemode, domain);

create table sessions (
  id text not null,
  token_hash text not null,
  user_id text not null,
  org_id text not null,
  csrf_token text not null,
  ip text,
  user_agent text,
  created_at timestamp with time zone not null default now(),
  last_seen_at timestamp with time zone not null default now(),
  expires_at timestamp with time zone not null,
  constraint sessions_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint sessions_pkey PRIMARY KEY (id),
  constraint sessions_token_hash_key UNIQUE (token_hash),
  constraint sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);
CREATE INDEX sessions_expires ON sessions USING btree (expires_at);
CREATE UNIQUE INDEX sessions_pkey ON sessions USING btree (id);
CREATE UNIQUE INDEX sessions_token_hash_key ON sessions USING btree (token_hash);
CREATE INDEX sessions_user ON sessions USING btree (user_id);

create table sign_in_links (
  id text not null,
  org_id text not null,
  user_id text not null,
  purpose text not null,
  token_hash text not null,
  created_at timestamp with time zone not null default now(),
  expires_at timestamp with time zone not null,
  used_at timestamp with time zone,
  constraint sign_in_links_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint sign_in_links_pkey PRIMARY KEY (id),
  constraint sign_in_links_purpose_check CHECK ((purpose = ANY (ARRAY['activate'::text, 'reset_password'::text]))),
  constraint sign_in_links_token_hash_key UNIQUE (token_hash),
  constraint sign_in_links_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX sign_in_links_pkey ON sign_in_links USING btree (id);
CREATE UNIQUE INDEX sign_in_links_token_hash_key ON sign_in_links USING btree (token_hash);
CREATE INDEX sign_in_links_user ON sign_in_links USING btree (user_id);

create table stages (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  pipeline_id text not null,
  name text not null,
  position integer not null,
  kind text not null default 'open'::text,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  rotting_days integer,
  constraint stages_id_pipeline_id_key UNIQUE (id, pipeline_id),
  constraint stages_kind_check CHECK ((kind = ANY (ARRAY['open'::text, 'won'::text, 'lost'::text]))),
  constraint stages_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint stages_pipeline_id_fkey FOREIGN KEY (pipeline_id) REFERENCES pipelines(id) ON DELETE CASCADE,
  constraint stages_pkey PRIMARY KEY (id),
  constraint stages_position_check CHECK (("position" >= 0)),
  constraint stages_rotting_days_check CHECK (((rotting_days >= 1) AND (rotting_days <= 3650)))
);
CREATE UNIQUE INDEX stages_id_pipeline_id_key ON stages USING btree (id, pipeline_id);
CREATE UNIQUE INDEX stages_name ON stages USING btree (pipeline_id, lower(name));
CREATE UNIQUE INDEX stages_one_closing ON stages USING btree (pipeline_id, kind) WHERE (kind <> 'open'::text);
CREATE INDEX stages_pipeline ON stages USING btree (pipeline_id, "position", id);
CREATE UNIQUE INDEX stages_pkey ON stages USING btree (id);

create table tags (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  name text not null,
  created_at timestamp with time zone not null default now(),
  constraint tags_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint tags_pkey PRIMARY KEY (id)
);
CREATE UNIQUE INDEX tags_name ON tags USING btree (org_id, livemode, lower(name));
CREATE UNIQUE INDEX tags_pkey ON tags USING btree (id);

create table tasks (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  title text not null,
  description text,
  due_at timestamp with time zone,
  status text not null default 'open'::text,
  assignee_id text,
  contact_id text,
  deal_id text,
  completed_at timestamp with time zone,
  completed_by text,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint tasks_assignee_id_fkey FOREIGN KEY (assignee_id) REFERENCES users(id) ON DELETE SET NULL,
  constraint tasks_check CHECK (((status = 'completed'::text) = (completed_at IS NOT NULL))),
  constraint tasks_contact_id_fkey FOREIGN KEY (contact_id) REFERENCES contacts(id) ON DELETE SET NULL,
  constraint tasks_deal_id_fkey FOREIGN KEY (deal_id) REFERENCES deals(id) ON DELETE SET NULL,
  constraint tasks_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint tasks_pkey PRIMARY KEY (id),
  constraint tasks_status_check CHECK ((status = ANY (ARRAY['open'::text, 'completed'::text])))
);
CREATE INDEX tasks_assignee ON tasks USING btree (assignee_id, due_at, id) WHERE (assignee_id IS NOT NULL);
CREATE INDEX tasks_contact ON tasks USING btree (contact_id, created_at DESC, id DESC) WHERE (contact_id IS NOT NULL);
CREATE INDEX tasks_contact_completed ON tasks USING btree (contact_id, completed_at DESC, id DESC) WHERE ((contact_id IS NOT NULL) AND (completed_at IS NOT NULL));
CREATE INDEX tasks_created ON tasks USING btree (org_id, livemode, created_at DESC, id DESC);
CREATE INDEX tasks_deal ON tasks USING btree (deal_id, created_at DESC, id DESC) WHERE (deal_id IS NOT NULL);
CREATE INDEX tasks_due_asc ON tasks USING btree (org_id, livemode, ((due_at IS NULL)), due_at, id);
CREATE INDEX tasks_due_desc ON tasks USING btree (org_id, livemode, ((due_at IS NOT NULL)), due_at, id);
CREATE UNIQUE INDEX tasks_pkey ON tasks USING btree (id);
CREATE INDEX tasks_status_due ON tasks USING btree (org_id, livemode, status, due_at, id);
CREATE INDEX tasks_updated ON tasks USING btree (org_id, livemode, updated_at DESC, id DESC);

create table teams (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  name text not null,
  description text,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint teams_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint teams_pkey PRIMARY KEY (id)
);
CREATE UNIQUE INDEX teams_name ON teams USING btree (org_id, livemode, lower(name));
CREATE INDEX teams_org ON teams USING btree (org_id, livemode, created_at, id);
CREATE UNIQUE INDEX teams_pkey ON teams USING btree (id);

create table users (
  id text not null,
  org_id text not null,
  name text not null,
  email text not null,
  username text not null,
  timezone text not null default 'UTC'::text,
  role text not null default 'member'::text,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  password_hash text,
  constraint users_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint users_pkey PRIMARY KEY (id),
  constraint users_role_check CHECK ((role = ANY (ARRAY['owner'::text, 'admin'::text, 'member'::text])))
);
CREATE UNIQUE INDEX users_email ON users USING btree (org_id, lower(email));
CREATE UNIQUE INDEX users_login_email ON users USING btree (lower(email)) WHERE (password_hash IS NOT NULL);
CREATE INDEX users_org ON users USING btree (org_id, created_at DESC, id DESC);
CREATE UNIQUE INDEX users_pkey ON users USING btree (id);
CREATE UNIQUE INDEX users_username ON users USING btree (lower(username));

create table webhook_attempts (
  id text not null,
  delivery_id text not null,
  endpoint_id text not null,
  attempt_number integer not null,
  started_at timestamp with time zone not null,
  duration_ms integer not null,
  status_code integer,
  response_body text,
  error text,
  next_attempt_at timestamp with time zone,
  request_headers jsonb,
  request_body text,
  response_headers jsonb,
  constraint webhook_attempts_delivery_id_fkey FOREIGN KEY (delivery_id) REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
  constraint webhook_attempts_pkey PRIMARY KEY (id)
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts USING btree (delivery_id, attempt_number);
CREATE INDEX webhook_attempts_endpoint ON webhook_attempts USING btree (endpoint_id, started_at DESC);
CREATE UNIQUE INDEX webhook_attempts_pkey ON webhook_attempts USING btree (id);

create table webhook_deliveries (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  endpoint_id text not null,
  event_id text not null,
  event_type text not null,
  status text not null,
  attempt_count integer not null default 0,
  next_attempt_at timestamp with time zone not null default now(),
  lease_expires_at timestamp with time zone,
  leased_by text,
  last_attempt_at timestamp with time zone,
  last_status_code integer,
  last_error text,
  succeeded_at timestamp with time zone,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint webhook_deliveries_endpoint_id_event_id_key UNIQUE (endpoint_id, event_id),
  constraint webhook_deliveries_endpoint_id_fkey FOREIGN KEY (endpoint_id) REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
  constraint webhook_deliveries_event_id_fkey FOREIGN KEY (event_id) REFERENCES events(id) ON DELETE CASCADE,
  constraint webhook_deliveries_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint webhook_deliveries_pkey PRIMARY KEY (id),
  constraint webhook_deliveries_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'succeeded'::text, 'failed'::text])))
);
CREATE INDEX webhook_deliveries_created_brin ON webhook_deliveries USING brin (created_at);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries USING btree (next_attempt_at) WHERE (status = 'pending'::text);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries USING btree (endpoint_id, created_at DESC, id DESC);
CREATE INDEX webhook_deliveries_endpoint_event ON webhook_deliveries USING btree (endpoint_id, event_type, created_at DESC, id DESC);
CREATE UNIQUE INDEX webhook_deliveries_endpoint_id_event_id_key ON webhook_deliveries USING btree (endpoint_id, event_id);
CREATE INDEX webhook_deliveries_endpoint_status ON webhook_deliveries USING btree (endpoint_id, status, created_at DESC, id DESC);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries USING btree (event_id);
CREATE UNIQUE INDEX webhook_deliveries_pkey ON webhook_deliveries USING btree (id);

create table webhook_endpoints (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  url text not null,
  description text,
  events text[] not null,
  enabled boolean not null default true,
  disabled_reason text,
  disabled_at timestamp with time zone,
  metadata jsonb not null default '{}'::jsonb,
  secret_encrypted text not null,
  previous_secret_encrypted text,
  previous_secret_expires_at timestamp with time zone,
  display_name text,
  kinds text[],
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  event_aliases jsonb not null default '{}'::jsonb,
  constraint webhook_endpoints_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint webhook_endpoints_pkey PRIMARY KEY (id)
);
CREATE INDEX webhook_endpoints_org ON webhook_endpoints USING btree (org_id, livemode, created_at DESC, id DESC);
CREATE UNIQUE INDEX webhook_endpoints_pkey ON webhook_endpoints USING btree (id);

create table work_orders (
  id text not null,
  org_id text not null,
  livemode boolean not null,
  title text not null,
  description text,
  contact_id text,
  scheduled_at timestamp with time zone,
  status text not null default 'scheduled'::text,
  completed_at timestamp with time zone,
  cancelled_at timestamp with time zone,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  constraint work_orders_check CHECK (((status = 'completed'::text) = (completed_at IS NOT NULL))),
  constraint work_orders_check1 CHECK (((status = 'cancelled'::text) = (cancelled_at IS NOT NULL))),
  constraint work_orders_contact_id_fkey FOREIGN KEY (contact_id) REFERENCES contacts(id) ON DELETE SET NULL,
  constraint work_orders_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations(id) ON DELETE CASCADE,
  constraint work_orders_pkey PRIMARY KEY (id),
  constraint work_orders_status_check CHECK ((status = ANY (ARRAY['scheduled'::text, 'in_progress'::text, 'completed'::text, 'cancelled'::text])))
);
CREATE INDEX work_orders_contact ON work_orders USING btree (contact_id) WHERE (contact_id IS NOT NULL);
CREATE INDEX work_orders_created ON work_orders USING btree (org_id, livemode, created_at DESC, id DESC);
CREATE UNIQUE INDEX work_orders_pkey ON work_orders USING btree (id);
CREATE INDEX work_orders_scheduled_asc ON work_orders USING btree (org_id, livemode, ((scheduled_at IS NULL)), scheduled_at, id);
CREATE INDEX work_orders_scheduled_desc ON work_orders USING btree (org_id, livemode, ((scheduled_at IS NOT NULL)), scheduled_at, id);
