-- Contact owner and the contacts table's sorts (issue 18, decision 0030).

-- The user of the organization a contact belongs to; removing the user leaves the contact unowned.
alter table contacts add column owner_id text references users (id) on delete set null;

-- `?owner_id=` under the default (newest first) order. A user belongs to one organization, so the
-- owner leads the index; the same index serves the `on delete set null` of a removed user.
create index contacts_owner on contacts (owner_id, livemode, created_at desc, id desc) where owner_id is not null;

-- Sorts of the contacts list (decision 0016's layout): a nullable key is ordered
-- `(expr is null), expr, id` ascending and `(expr is not null), expr, id` descending (nulls last
-- both ways), one index per direction; a key that is never null has one index for both directions.
create index contacts_email_asc on contacts (org_id, livemode, (lower(email) is null), lower(email), id);
create index contacts_email_desc on contacts (org_id, livemode, (lower(email) is not null), lower(email), id);
create index contacts_company_asc on contacts (org_id, livemode, (lower(company) is null), lower(company), id);
create index contacts_company_desc on contacts (org_id, livemode, (lower(company) is not null), lower(company), id);
create index contacts_owner_asc on contacts (org_id, livemode, (owner_id is null), owner_id, id);
create index contacts_owner_desc on contacts (org_id, livemode, (owner_id is not null), owner_id, id);
create index contacts_status_sort on contacts (org_id, livemode, status, id);
create index contacts_source_sort on contacts (org_id, livemode, source, id);
