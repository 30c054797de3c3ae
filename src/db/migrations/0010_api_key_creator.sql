-- The dashboard user who created a key (directly, or through a key they created); null for keys an
-- operator made (provisioning API, CLI). A key acts with no more authority over owners than its
-- creator has today, so an admin cannot get round "only owners change owners" with a key.
-- No foreign key: a removed creator's keys keep working for everything else, but not on owners.
alter table api_keys add column created_by_user_id text;
