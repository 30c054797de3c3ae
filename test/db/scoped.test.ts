import { beforeAll, describe, expect, test } from 'vitest'
import type { TenantScope } from '../../src/core/tenancy.js'
import type { Db } from '../../src/db/schema.js'
import { findScoped, scoped, scopedDelete, scopedUpdate, updateScopedReturning } from '../../src/db/scoped.js'
import { newId } from '../../src/lib/ids.js'
import { OrgsService } from '../../src/modules/orgs/orgs.service.js'
import { testDatabase } from '../harness.js'

let db: Db
let mine: TenantScope
/** The same organization in the other mode, and another organization in the same mode. */
let otherMode: TenantScope
let otherOrg: TenantScope
/** One tag per scope, all named alike. */
const tagOf = new Map<TenantScope, string>()

beforeAll(async () => {
  db = (await testDatabase()).db
  const orgs = new OrgsService(db)
  const a = (await orgs.create({ name: 'Scoped A', plan: 'teams' })).org.id
  const b = (await orgs.create({ name: 'Scoped B', plan: 'teams' })).org.id
  mine = { orgId: a, livemode: true }
  otherMode = { orgId: a, livemode: false }
  otherOrg = { orgId: b, livemode: true }
  for (const scope of [mine, otherMode, otherOrg]) {
    const id = newId('tag')
    await db
      .insertInto('tags')
      .values({ id, org_id: scope.orgId, livemode: scope.livemode, name: 'vip', created_at: new Date() })
      .execute()
    tagOf.set(scope, id)
  }
})

const namesOf = async (scope: TenantScope) =>
  (await scoped(db, 'tags', scope).select(['id', 'name']).orderBy('id').execute()).map((r) => r.id)

describe('scoped (the one tenant filter of repositories)', () => {
  test('selects the rows of its organization and mode only', async () => {
    expect(await namesOf(mine)).toEqual([tagOf.get(mine)])
    expect(await namesOf(otherMode)).toEqual([tagOf.get(otherMode)])
    expect(await namesOf(otherOrg)).toEqual([tagOf.get(otherOrg)])
  })

  test('compiles to the same SQL as the hand-written filter it replaces', () => {
    const byHand = db
      .selectFrom('tags')
      .select('id')
      .where('org_id', '=', mine.orgId)
      .where('livemode', '=', mine.livemode)
      .where('name', '=', 'vip')
      .compile()
    const helper = scoped(db, 'tags', mine).select('id').where('name', '=', 'vip').compile()
    expect(helper.sql).toBe(byHand.sql)
    expect(helper.parameters).toEqual(byHand.parameters)
    expect(scoped(db, 'bookings', mine, { qualified: true }).select('bookings.id').compile().sql).toBe(
      'select "bookings"."id" from "bookings" where "bookings"."org_id" = $1 and "bookings"."livemode" = $2',
    )
  })

  test('findScoped answers the row of the scope, and undefined for the id of another organization or mode', async () => {
    expect(await findScoped(db, 'tags', mine, tagOf.get(mine)!, ['id', 'name'])).toEqual({
      id: tagOf.get(mine),
      name: 'vip',
    })
    expect(await findScoped(db, 'tags', mine, tagOf.get(otherMode)!, ['id'])).toBeUndefined()
    expect(await findScoped(db, 'tags', mine, tagOf.get(otherOrg)!, ['id'])).toBeUndefined()
    await db.transaction().execute(async (tx) => {
      expect(await findScoped(tx, 'tags', mine, tagOf.get(mine)!, ['id'], { forUpdate: true })).toEqual({
        id: tagOf.get(mine),
      })
    })
  })

  test('updateScopedReturning changes the row of the scope and never one of another organization or mode', async () => {
    const changed = await updateScopedReturning(db, 'tags', mine, tagOf.get(mine)!, { name: 'gold' }, ['id', 'name'])
    expect(changed).toEqual({ id: tagOf.get(mine), name: 'gold' })
    for (const other of [otherMode, otherOrg]) {
      expect(await updateScopedReturning(db, 'tags', mine, tagOf.get(other)!, { name: 'gold' }, ['id'])).toBeUndefined()
      expect(await findScoped(db, 'tags', other, tagOf.get(other)!, ['name'])).toEqual({ name: 'vip' })
    }
    const result = await scopedUpdate(db, 'tags', mine).set({ name: 'silver' }).executeTakeFirst()
    expect(result.numUpdatedRows).toBe(1n)
    expect(await findScoped(db, 'tags', otherOrg, tagOf.get(otherOrg)!, ['name'])).toEqual({ name: 'vip' })
  })

  test('scopedDelete deletes the rows of its scope only', async () => {
    const id = newId('tag')
    await db
      .insertInto('tags')
      .values({ id, org_id: mine.orgId, livemode: mine.livemode, name: 'temp', created_at: new Date() })
      .execute()
    const none = await scopedDelete(db, 'tags', otherOrg).where('id', '=', id).executeTakeFirst()
    expect(none.numDeletedRows).toBe(0n)
    const one = await scopedDelete(db, 'tags', mine).where('id', '=', id).executeTakeFirst()
    expect(one.numDeletedRows).toBe(1n)
    expect(await namesOf(otherMode)).toEqual([tagOf.get(otherMode)])
  })
})
