-- Contacts may carry the caller's own id (from another system), unique per organization and mode:
-- batch upserts match on it as they do on email.
alter table contacts add column external_id text;
create unique index contacts_external_id on contacts (org_id, livemode, external_id) where external_id is not null;

-- Structured search (POST /api/v1/contacts/search) over 100,000+ contacts:
-- equality and `in` on custom fields compile to jsonb containment (`@>`), which this index serves;
-- jsonb_path_ops is core PostgreSQL, so it exists on PGlite too (pg_trgm would not, unloaded).
create index contacts_custom_fields on contacts using gin (custom_fields jsonb_path_ops);
-- The sort by `updated_at` (and its keyset cursor), as contacts_created serves `created_at`.
create index contacts_updated on contacts (org_id, livemode, updated_at desc, id desc);
