-- Same reason as 0021 for the audit log: the purge's btree on webhook_deliveries.created_at (0002)
-- could also serve an endpoint's delivery list in time order, and on a database where one endpoint
-- holds most deliveries the planner chose it, with a sort for ties, over webhook_deliveries_endpoint.
-- A BRIN index serves only the purge's range condition and cannot be read in order.
drop index if exists webhook_deliveries_created;
create index webhook_deliveries_created_brin on webhook_deliveries using brin (created_at);
