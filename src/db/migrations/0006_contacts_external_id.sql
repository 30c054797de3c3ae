-- Contacts may carry the caller's own id (from another system), unique per organization and mode:
-- batch upserts match on it as they do on email.
alter table contacts add column external_id text;
create unique index contacts_external_id on contacts (org_id, livemode, external_id) where external_id is not null;
