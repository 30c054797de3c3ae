-- The events purge (RAPPORT_EVENTS_RETENTION_DAYS) finds expired events through a BRIN index on
-- created_at, as the audit and delivery purges do (0021, 0022): events arrive in time order, so the
-- expired head sits in the first block ranges, and a BRIN index cannot be read in order, so the
-- event list keeps events_recent and events_type. A fraction of a btree's size.
create index events_created_brin on events using brin (created_at);
-- Deleting an event looks up its deliveries twice: the purge keeps an event while a delivery of it
-- is kept (a retry reads the event), and the foreign key's cascade deletes the deliveries of an
-- event that goes. Without an index on event_id each lookup reads all of webhook_deliveries (the
-- unique (endpoint_id, event_id) index starts with the endpoint).
create index webhook_deliveries_event on webhook_deliveries (event_id);
