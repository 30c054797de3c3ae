-- Invites carry the authority of whoever made them, so that an invite never grants more than its
-- creator holds (an admin could become an owner by inviting a never-signed-in owner user and
-- accepting the invite themself).
--
-- created_by_user_id: the dashboard user whose authority the invite carries: the session's user,
-- or the creator of the API key used (api_keys.created_by_user_id). It is checked when the invite
-- is accepted, against that user's role then, as a key's authority is. No foreign key, as for
-- api_keys.created_by_user_id: a removed creator's invites stop working instead of looking like
-- an operator's.
-- created_by_operator: made with an operator's key (provisioning API, CLI), which acts for the
-- organization.
alter table invites add column created_by_user_id text;
alter table invites add column created_by_operator boolean not null default false;
update invites set created_by_user_id = invited_by;

-- Pending invites made with an API key before this migration have no known creator, so nothing
-- says what they may grant: they are revoked (their makers can invite again).
update invites set revoked_at = now()
where created_by_user_id is null and accepted_at is null and revoked_at is null;

-- Owners may invite owners.
alter table invites drop constraint invites_role_check;
alter table invites add constraint invites_role_check check (role in ('owner', 'admin', 'member'));
