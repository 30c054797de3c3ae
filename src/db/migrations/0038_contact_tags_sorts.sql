-- Every sort of the contacts list inside one tag, read in order from contact_tags (decision 0039).
-- Each row carries copies of its contact's sort keys, and each sort has a btree led by the tag with
-- the same expressions, in the same layout, as the contacts' own sort indexes (migrations 0006, 0016
-- and 0033). A tag's first page in any sort is then one index range read, as in creation order.

alter table contact_tags
  add column name text,
  add column email text,
  add column company text,
  add column source text,
  add column owner_id text,
  add column updated_at timestamptz;

update contact_tags ct
set name = c.name, email = c.email, company = c.company, source = c.source, owner_id = c.owner_id,
  updated_at = c.updated_at
from contacts c
where c.id = ct.contact_id;

alter table contact_tags alter column source set not null, alter column updated_at set not null;

-- A key that is never null has one index for both directions; a nullable key one per direction
-- (nulls last both ways: `(expr is null), expr, id` ascending, `(expr is not null), expr, id` descending).
create index contact_tags_updated on contact_tags (org_id, livemode, tag, updated_at desc, contact_id desc);
create index contact_tags_name_asc on contact_tags (org_id, livemode, tag, (lower(name) is null), lower(name), contact_id);
create index contact_tags_name_desc on contact_tags (org_id, livemode, tag, (lower(name) is not null), lower(name), contact_id);
create index contact_tags_email_asc on contact_tags (org_id, livemode, tag, (lower(email) is null), lower(email), contact_id);
create index contact_tags_email_desc on contact_tags (org_id, livemode, tag, (lower(email) is not null), lower(email), contact_id);
create index contact_tags_company_asc on contact_tags (org_id, livemode, tag, (lower(company) is null), lower(company), contact_id);
create index contact_tags_company_desc on contact_tags (org_id, livemode, tag, (lower(company) is not null), lower(company), contact_id);
create index contact_tags_owner_asc on contact_tags (org_id, livemode, tag, (owner_id is null), owner_id, contact_id);
create index contact_tags_owner_desc on contact_tags (org_id, livemode, tag, (owner_id is not null), owner_id, contact_id);
create index contact_tags_status_sort on contact_tags (org_id, livemode, tag, status, contact_id);
create index contact_tags_source_sort on contact_tags (org_id, livemode, tag, source, contact_id);

create or replace function contact_tags_inserted() returns trigger language plpgsql as $$
begin
  insert into contact_tags (contact_id, tag, org_id, livemode, status, created_at, name, email, company, source,
    owner_id, updated_at)
  select distinct n.id, t.tag, n.org_id, n.livemode, n.status, n.created_at, n.name, n.email, n.company, n.source,
    n.owner_id, n.updated_at
  from contact_tags_new n cross join lateral unnest(n.tags) as t(tag);
  return null;
end
$$;

-- Same tags: the rows are updated in place (one statement); other tags: replaced.
create or replace function contact_tags_updated() returns trigger language plpgsql as $$
begin
  if old.tags is not distinct from new.tags then
    update contact_tags
    set status = new.status, created_at = new.created_at, name = new.name, email = new.email,
      company = new.company, source = new.source, owner_id = new.owner_id, updated_at = new.updated_at
    where contact_id = new.id;
    return null;
  end if;
  delete from contact_tags where contact_id = old.id;
  insert into contact_tags (contact_id, tag, org_id, livemode, status, created_at, name, email, company, source,
    owner_id, updated_at)
  select distinct new.id, t.tag, new.org_id, new.livemode, new.status, new.created_at, new.name, new.email,
    new.company, new.source, new.owner_id, new.updated_at
  from unnest(new.tags) as t(tag);
  return null;
end
$$;

-- Only a contact with tags before or after the update has rows to keep, and only when a copied
-- column changed. An update touches `updated_at`, so every update of a tagged contact fires it.
drop trigger contact_tags_updated on contacts;
create trigger contact_tags_updated
  after update of tags, status, created_at, name, email, company, source, owner_id, updated_at on contacts
  for each row
  when ((cardinality(old.tags) > 0 or cardinality(new.tags) > 0) and (
    old.tags is distinct from new.tags or old.status is distinct from new.status
    or old.created_at is distinct from new.created_at or old.name is distinct from new.name
    or old.email is distinct from new.email or old.company is distinct from new.company
    or old.source is distinct from new.source or old.owner_id is distinct from new.owner_id
    or old.updated_at is distinct from new.updated_at))
  execute function contact_tags_updated();

analyze contact_tags;
