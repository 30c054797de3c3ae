import { sql } from 'kysely'
import { ApiError } from '../../core/errors.js'
import type { Executor } from '../../db/schema.js'
import { randomBase62 } from '../../lib/crypto.js'
import { newId } from '../../lib/ids.js'

/** The account that signs in with this email (lower-cased), with its organization; undefined when none. */
export function findLoginAccount(executor: Executor, email: string) {
  return executor
    .selectFrom('users as u')
    .innerJoin('organizations as o', 'o.id', 'u.org_id')
    .select([
      'u.id',
      'u.name',
      'u.email',
      'u.role',
      'u.password_hash',
      'o.id as org_id',
      'o.name as org_name',
      'o.plan',
    ])
    .where(sql<boolean>`lower(u.email) = ${email}`)
    .where('u.password_hash', 'is not', null)
    .executeTakeFirst()
}

/** One email signs in to one organization, so a sign-in never has to ask which. */
export async function assertEmailFree(executor: Executor, email: string) {
  const taken = await executor
    .selectFrom('users')
    .select('id')
    .where(sql<boolean>`lower(email) = lower(${email})`)
    .where('password_hash', 'is not', null)
    .executeTakeFirst()
  if (taken) throw emailHasAccount()
}

/** The 409 for an email that already signs in (to any organization of the installation). */
export function emailHasAccount(): ApiError {
  return new ApiError('already_exists', 'This email already signs in to an organization on this installation', {
    details: [{ field: 'email', message: 'Already has an account' }],
  })
}

/** A user (who can sign in once it has a password), with a username derived from the email (booking pages use it). */
export async function insertAccount(
  tx: Executor,
  a: { orgId: string; name: string; email: string; role: 'owner' | 'admin' | 'member'; passwordHash: string | null },
) {
  const base =
    (a.email.split('@')[0] ?? '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 30) || 'user'
  let username = base.length >= 2 ? base : `${base}-user`
  const taken = await tx
    .selectFrom('users')
    .select('id')
    .where(sql<boolean>`lower(username) = ${username}`)
    .executeTakeFirst()
  if (taken) username = `${username}-${randomBase62(30).toLowerCase().slice(0, 5)}`
  return tx
    .insertInto('users')
    .values({
      id: newId('user'),
      org_id: a.orgId,
      name: a.name,
      email: a.email,
      username,
      role: a.role,
      password_hash: a.passwordHash,
    })
    .returning(['id', 'name', 'email', 'role'])
    .executeTakeFirstOrThrow()
}

/** Any constant: serializes first-run setups so that two browsers cannot both create "the first" organization. */
const SETUP_LOCK = 7_461_001

/** Takes the first-run setup lock until the transaction ends. */
export async function lockSetup(tx: Executor): Promise<void> {
  await sql`select pg_advisory_xact_lock(${SETUP_LOCK})`.execute(tx)
}
