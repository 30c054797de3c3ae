-- The audit purge's btree on occurred_at (0016) could also serve the audit list in time order, and
-- on a database where one organization holds most of the log the planner chose it over the
-- per-organization index. A BRIN index cannot return rows in order, so it serves only the purge's
-- range condition: the list keeps audit_log_org. It is also a fraction of a btree's size.
drop index if exists audit_log_occurred;
create index audit_log_occurred_brin on audit_log using brin (occurred_at);
