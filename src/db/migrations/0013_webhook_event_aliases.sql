-- The names an endpoint subscribed with when they were aliases (other CRMs' names, e.g.
-- `client_created`): catalog name → alias. `events` keeps the catalog names the fan-out matches on;
-- a delivery is sent under the alias, so a client written for that CRM sees the names it knows.
alter table webhook_endpoints add column event_aliases jsonb not null default '{}';
