-- Password reset emails ("Forgot your password?" on the sign-in page) can be turned off per
-- organization, like Rapport's other own messages (migration 0018).
alter table email_settings add column if not exists password_reset_emails boolean not null default true;
