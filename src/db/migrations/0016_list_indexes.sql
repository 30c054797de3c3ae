-- Indexes that keep every list's first page, and every cursor page, one index range scan at
-- millions of rows (decision 0016). Nullable sort keys are ordered `(expr is null), expr, id`
-- ascending and `(expr is not null), expr, id` descending (nulls last both ways), so each
-- direction has one btree index that it reads forward or backward.

-- Substring search (`?q=`) with trigrams: PostgreSQL ships pg_trgm in contrib, PGlite loads it
-- from its bundled extensions (src/db/database.ts). Trusted since PostgreSQL 13: a database owner
-- may create it.
create extension if not exists pg_trgm;

-- Contacts: case-insensitive name sort, substring search over the four searched columns, and the
-- status and source filters under the default (newest first) order.
create index contacts_name_asc on contacts (org_id, livemode, (lower(name) is null), lower(name), id);
create index contacts_name_desc on contacts (org_id, livemode, (lower(name) is not null), lower(name), id);
create index contacts_search on contacts
  using gin (name gin_trgm_ops, email gin_trgm_ops, phone gin_trgm_ops, company gin_trgm_ops);
create index contacts_status on contacts (org_id, livemode, status, created_at desc, id desc);
create index contacts_source on contacts (org_id, livemode, source, created_at desc, id desc);

-- Deals: title and last-change sorts (value and expected_close_date sort on text forms that
-- depend on session settings, which an index cannot hold).
create index deals_title on deals (org_id, livemode, lower(title), id);
create index deals_updated on deals (org_id, livemode, updated_at desc, id desc);

-- Tasks and work orders: their nullable due/scheduled sorts in both directions, the last-change sort.
drop index tasks_due;
create index tasks_due_asc on tasks (org_id, livemode, (due_at is null), due_at, id);
create index tasks_due_desc on tasks (org_id, livemode, (due_at is not null), due_at, id);
create index tasks_updated on tasks (org_id, livemode, updated_at desc, id desc);
drop index work_orders_scheduled;
create index work_orders_scheduled_asc on work_orders (org_id, livemode, (scheduled_at is null), scheduled_at, id);
create index work_orders_scheduled_desc on work_orders (org_id, livemode, (scheduled_at is not null), scheduled_at, id);

-- Tables that grow without bound: every documented filter under the list's one order.
create index activities_type on activities (org_id, livemode, type, occurred_at desc, id desc);
create index webhook_deliveries_endpoint_status on webhook_deliveries (endpoint_id, status, created_at desc, id desc);
create index webhook_deliveries_endpoint_event on webhook_deliveries (endpoint_id, event_type, created_at desc, id desc);
-- The retention purge deletes the oldest audit rows in batches across organizations.
create index audit_log_occurred on audit_log (occurred_at);
