-- Import jobs (POST /api/v1/imports). The uploaded CSV lives in import_chunks until the job ends, so
-- any worker process can run it; a worker claims a job under a lease (as webhook deliveries are
-- claimed) and commits each batch of rows together with the job's progress, so a job whose worker
-- died resumes after its last committed batch.
create table imports (
  id text primary key,
  org_id text not null references organizations (id) on delete cascade,
  livemode boolean not null,
  -- receiving: the file is being stored; queued; running; completed; failed.
  status text not null check (status in ('receiving', 'queued', 'running', 'completed', 'failed')),
  file_name text,
  bytes bigint not null,
  sha256 text not null,
  mapping text,
  imported_by text not null,
  -- Data rows (after the header) in the file, once the worker has checked it.
  rows_total integer,
  -- Data rows whose outcome is committed: where a resumed job starts.
  rows_read integer not null default 0,
  created integer not null default 0,
  updated integer not null default 0,
  failed integer not null default 0,
  error text,
  -- Claims so far; a job claimed too many times without finishing fails.
  attempts integer not null default 0,
  leased_by text,
  lease_expires_at timestamptz,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  updated_at timestamptz not null default now()
);
create index imports_list on imports (org_id, livemode, created_at desc, id desc);
create index imports_due on imports (created_at) where status in ('queued', 'running');
create index imports_finished on imports (finished_at) where finished_at is not null;

create table import_chunks (
  import_id text not null references imports (id) on delete cascade,
  seq integer not null,
  data bytea not null,
  primary key (import_id, seq)
);

-- The rows each import skipped, for its error report (the first 100,000 per import).
create table import_errors (
  import_id text not null references imports (id) on delete cascade,
  row_number integer not null,
  message text not null,
  primary key (import_id, row_number)
);
