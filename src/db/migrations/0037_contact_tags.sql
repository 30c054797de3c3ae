-- One row per tag a contact carries, kept by triggers on contacts (decision 0037). A tag filter on
-- `contacts.tags` (GIN) must visit every match in the heap to count it: 10,001 heap rows for the
-- capped total of a tag on 10,000 of a million contacts, because GIN has no index-only scan. These
-- btrees answer a tag, alone or with a status, index-only: its capped count, and its contacts in
-- list order (newest first) for the page.
create table contact_tags (
  contact_id text not null,
  tag text not null,
  org_id text not null,
  livemode boolean not null,
  -- Copies of the contact's columns that the indexes order or filter by.
  status text not null,
  created_at timestamptz not null,
  constraint contact_tags_pkey primary key (contact_id, tag)
);

create index contact_tags_newest on contact_tags (org_id, livemode, tag, created_at desc, contact_id desc);
create index contact_tags_status on contact_tags (org_id, livemode, tag, status, created_at desc, contact_id desc);

-- Inserts and deletes are kept per statement (one set-based write for a 500-row import batch);
-- updates per row, only for a row whose tags, status or creation time changed. A new contact has no
-- rows yet, so `distinct` (a tag written twice in one array) is all that can collide: no
-- `on conflict`, whose speculative insertion cost more per row.
create function contact_tags_inserted() returns trigger language plpgsql as $$
begin
  insert into contact_tags (contact_id, tag, org_id, livemode, status, created_at)
  select distinct n.id, t.tag, n.org_id, n.livemode, n.status, n.created_at
  from contact_tags_new n cross join lateral unnest(n.tags) as t(tag);
  return null;
end
$$;

create function contact_tags_deleted() returns trigger language plpgsql as $$
begin
  delete from contact_tags ct using contact_tags_old o where ct.contact_id = o.id and cardinality(o.tags) > 0;
  return null;
end
$$;

create function contact_tags_updated() returns trigger language plpgsql as $$
begin
  delete from contact_tags where contact_id = old.id;
  insert into contact_tags (contact_id, tag, org_id, livemode, status, created_at)
  select distinct new.id, t.tag, new.org_id, new.livemode, new.status, new.created_at
  from unnest(new.tags) as t(tag);
  return null;
end
$$;

create trigger contact_tags_inserted after insert on contacts
  referencing new table as contact_tags_new
  for each statement execute function contact_tags_inserted();

create trigger contact_tags_deleted after delete on contacts
  referencing old table as contact_tags_old
  for each statement execute function contact_tags_deleted();

create trigger contact_tags_updated after update of tags, status, created_at on contacts
  for each row
  when (old.tags is distinct from new.tags or old.status is distinct from new.status
    or old.created_at is distinct from new.created_at)
  execute function contact_tags_updated();

insert into contact_tags (contact_id, tag, org_id, livemode, status, created_at)
select distinct c.id, t.tag, c.org_id, c.livemode, c.status, c.created_at
from contacts c cross join lateral unnest(c.tags) as t(tag);
