-- The enterprise plan, and two scopes every plan grants: `leads` (lead capture: form responses,
-- the lead webhook) and `keys` (managing the organization's own API keys).
alter table organizations drop constraint organizations_plan_check;
alter table organizations add constraint organizations_plan_check
  check (plan in ('free', 'pro', 'teams', 'enterprise'));

-- Existing keys keep what they could do: lead capture needed `write`, key management `admin`.
update api_keys set scopes = array_append(scopes, 'leads')
  where type = 'secret' and 'write' = any(scopes) and not ('leads' = any(scopes));
update api_keys set scopes = array_append(scopes, 'keys')
  where type = 'secret' and 'admin' = any(scopes) and not ('keys' = any(scopes));
