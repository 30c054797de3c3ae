-- DSNs and feedback reports received by the inbound SMTP listener (RAPPORT_SMTP_INBOUND,
-- docs/deliverability.md). One row per send and kind of report, written in the transaction that
-- records the bounce or complaint: a report delivered twice (a sender retrying, or a second report
-- about the same send under another Message-ID) is recorded once.
create table email_inbound_reports (
  email_id text not null references emails (id) on delete cascade,
  -- dsn or arf
  source text not null check (source in ('dsn', 'arf')),
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  -- The address of the send the report is about (lower-case).
  recipient text not null,
  -- The report's own Message-ID, when it had one.
  report_message_id text,
  -- What the report said: the DSN's Status and Diagnostic-Code, or the ARF Feedback-Type.
  detail text,
  bounce_id text references email_bounces (id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (email_id, source)
);
create index email_inbound_reports_org on email_inbound_reports (org_id, livemode, created_at);
create index email_inbound_reports_bounce on email_inbound_reports (bounce_id) where bounce_id is not null;
