-- Each webhook attempt keeps the exchange it made, so the delivery log shows what was sent and what
-- came back: the request headers Rapport sent (signatures included; never the signing secret), the
-- request body (the event rendered for the endpoint, up to 64 KB), and the response headers (the
-- response body was already kept; its bound rises from 16 to 64 KB). Attempts recorded before this migration have nulls;
-- so does an attempt refused before connecting (nothing was sent).
alter table webhook_attempts
  add column request_headers jsonb,
  add column request_body text,
  add column response_headers jsonb;
