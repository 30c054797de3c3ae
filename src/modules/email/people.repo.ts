import type { Executor } from '../../db/schema.js'

/**
 * What messages read of the organization and its people: the name they are signed with, who
 * invited, who is told about a new lead, a host's time zone. Reads only; the accounts, users and
 * organizations modules own the writes.
 */

/** The organization's name, or `undefined` when it does not exist. */
export async function findOrgName(db: Executor, orgId: string): Promise<string | undefined> {
  const org = await db.selectFrom('organizations').select('name').where('id', '=', orgId).executeTakeFirst()
  return org?.name
}

/** The name of the person whose invite to `email` is the newest of the organization's. */
export async function findInviterName(db: Executor, orgId: string, email: string): Promise<string | undefined> {
  const inviter = await db
    .selectFrom('invites')
    .innerJoin('users', 'users.id', 'invites.created_by_user_id')
    .select('users.name')
    .where('invites.org_id', '=', orgId)
    .where('invites.email', '=', email)
    .orderBy('invites.created_at', 'desc')
    .executeTakeFirst()
  return inviter?.name
}

/** Up to 50 people of the organization who sign in (they have a password), in id order. */
export function findSignInPeople(db: Executor, orgId: string): Promise<{ email: string; name: string }[]> {
  return db
    .selectFrom('users')
    .select(['email', 'name'])
    .where('org_id', '=', orgId)
    .where('password_hash', 'is not', null)
    .orderBy('id')
    .limit(50)
    .execute()
}

/** A user's time zone, or `undefined` when there is no such user. */
export async function findUserTimezone(db: Executor, userId: string): Promise<string | undefined> {
  const user = await db.selectFrom('users').select(['timezone']).where('id', '=', userId).executeTakeFirst()
  return user?.timezone
}
