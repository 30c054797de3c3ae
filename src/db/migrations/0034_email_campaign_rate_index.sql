-- The campaign rate limit counts the campaign messages queued in the last second (overall and for
-- one organization) on every queuing step, several times a second. Without an index on created_at
-- that count read the whole emails table, bodies included: the longer a large campaign ran, the
-- slower each step. This index holds campaign messages only and answers the count from its last
-- second's range (index-only, org_id included).
create index emails_campaign_recent on emails (created_at, org_id) where campaign_id is not null;
