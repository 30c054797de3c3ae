import { CompiledQuery, type KyselyPlugin, PostgresQueryCompiler, type RootOperationNode, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { createDeps } from '../../src/deps.js'
import { OrgsService } from '../../src/modules/orgs/orgs.service.js'
import { testDatabase } from '../harness.js'

/**
 * The hot list queries, as the routes build them, must read one index range in list order: a
 * dropped or mismatched index makes these fail on both engines. The queries are captured from real
 * requests and explained with sequential scans disabled (on a small table the planner would rightly
 * prefer one), so what is checked is which index serves the order, and that no sort runs over all
 * matches.
 */
const captured: RootOperationNode[] = []
const capture: KyselyPlugin = {
  transformQuery: ({ node }) => {
    captured.push(node)
    return node
  },
  transformResult: async ({ result }) => result,
}
const compiler = new PostgresQueryCompiler()

type PlanNode = { 'Node Type': string; 'Index Name'?: string; Plans?: PlanNode[] }
function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)]
}

let api: (url: string, body?: unknown) => Promise<{ statusCode: number; json(): unknown }>
let endpointId = ''
let orgId = ''
let ownerId = ''

beforeAll(async () => {
  const database = await testDatabase()
  const db = database.db
  const config = loadConfig({
    ...process.env,
    RAPPORT_WEBHOOK_ALLOW_PRIVATE: '1',
    RAPPORT_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
  })
  const deps = await createDeps(config, { database: { ...database, db: db.withPlugin(capture) } })
  const app = await buildApp(deps, { logger: false })
  afterAll(async () => {
    await app.close()
    await deps.close()
  })
  const created = await new OrgsService(db).create({ name: 'Index checks', plan: 'teams' })
  const org = created.org.id
  orgId = org
  const headers = { authorization: `Bearer ${created.api_key.key}` }
  api = async (url, body) =>
    body === undefined
      ? app.inject({ method: 'GET', url, headers })
      : app.inject({ method: 'POST', url, headers, payload: body as object })
  const endpoint = await app.inject({
    method: 'POST',
    url: '/api/v1/webhook_endpoints',
    headers,
    payload: { url: 'http://127.0.0.1:9/hook', events: ['contact.deleted'], enabled: false },
  })
  expect(endpoint.statusCode, endpoint.body).toBe(201)
  endpointId = (endpoint.json() as { id: string }).id
  // A few hundred rows per table, enough for statistics; set-based so seeding takes milliseconds.
  ownerId = `user_idx${Math.random().toString(36).slice(2, 10)}`
  await sql`insert into users (id, org_id, name, email, username)
    values (${ownerId}, ${org}, 'Owner', ${`${ownerId}@example.com`}, ${ownerId})`.execute(db)
  await sql`insert into tags (id, org_id, livemode, name) values (${`tag_idx${ownerId}`}, ${org}, true, 'vip')`.execute(
    db,
  )
  await sql`insert into contacts (id, org_id, livemode, name, email, company, status, source, owner_id, tags, created_at, updated_at)
    select 'c_idx' || g, ${org}, true, case when g % 10 = 0 then null else 'Person ' || g end,
      'p' || g || '@example.com', case when g % 9 = 0 then null else 'Company ' || (g % 50) end,
      case when g % 7 = 0 then 'customer' else 'lead' end, case when g % 4 = 0 then 'form' else 'api' end,
      case when g % 2 = 0 then ${ownerId} end, case when g % 20 = 0 then array['vip'] else array[]::text[] end,
      now() - g * interval '1 minute', now() - g * interval '1 minute'
    from generate_series(1, 500) g`.execute(db)
  await sql`insert into events (id, org_id, livemode, type, data, created_at)
    select 'evt_idx' || g, ${org}, true, case when g % 2 = 0 then 'contact.created' else 'contact.updated' end,
      '{}'::jsonb, now() - g * interval '1 minute'
    from generate_series(1, 500) g`.execute(db)
  await sql`insert into activities (id, org_id, livemode, type, summary, occurred_at)
    select 'a_idx' || g, ${org}, true, case when g % 3 = 0 then 'call' else 'email' end, 'Talked', now() - g * interval '1 minute'
    from generate_series(1, 500) g`.execute(db)
  await sql`insert into webhook_deliveries (id, org_id, livemode, endpoint_id, event_id, event_type, status, created_at)
    select 'wd_idx' || g, ${org}, true, ${endpointId}, 'evt_idx' || g, 'contact.created',
      case when g % 5 = 0 then 'failed' else 'succeeded' end, now() - g * interval '1 minute'
    from generate_series(1, 500) g`.execute(db)
  await sql`insert into audit_log (id, org_id, livemode, occurred_at, method, path, status, duration_ms, request_id)
    select 'al_idx' || g, ${org}, true, now() - g * interval '1 minute', 'GET', '/api/v1/contacts', 200, 1, 'req_' || g
    from generate_series(1, 500) g`.execute(db)
  // Statistics for the planner, and the trigram index's pending list merged (as autovacuum would).
  for (const table of ['contacts', 'events', 'activities', 'webhook_deliveries', 'audit_log']) {
    await sql`vacuum analyze ${sql.table(table)}`.execute(db)
  }
})

/** The plan nodes of the page query (the one with `limit`) that `url` runs. */
async function pagePlan(
  url: string,
  opts: {
    bitmapOnly?: boolean
    count?: boolean
    countOf?: string
    body?: unknown
    ownTable?: boolean
    sortAllowed?: boolean
  } = {},
): Promise<PlanNode[]> {
  captured.length = 0
  const res = await api(url, opts.body)
  expect(res.statusCode, url).toBe(200)
  // A list's page query; subqueries built apart (a tag's ids, a capped count's rows) are captured too.
  const isPage = (q: string) =>
    /\border by\b/.test(q) &&
    /\blimit\b/.test(q) &&
    (!q.includes('count(') || q.includes('count(*) over ()')) &&
    !q.startsWith('select "contact_id"') &&
    !q.startsWith('select 1 as "one"') &&
    !q.startsWith('select * from "contacts"')
  const pages = captured
    .map((node) => compiler.compileQuery(node, { queryId: 'explain' } as never))
    .filter((q) =>
      opts.count ? q.sql.includes('count(') && q.sql.includes(`"${opts.countOf ?? 'contacts'}"`) : isPage(q.sql),
    )
  expect(pages.length, url).toBeGreaterThan(0)
  const db = (await testDatabase()).db
  return db.transaction().execute(async (tx) => {
    // Planned on a copy of this file's contacts alone (a temporary table shadows `contacts`): on the
    // suite's shared PostgreSQL the statistics hold every file's contacts, whose statuses and tags
    // can make another index the fair choice for a few hundred rows.
    if (opts.ownTable) {
      await sql`create temporary table contacts (like public.contacts including all) on commit drop`.execute(tx)
      await sql`insert into contacts select * from public.contacts where org_id = ${orgId}`.execute(tx)
      await sql`analyze contacts`.execute(tx)
    }
    await sql`set local enable_seqscan = off`.execute(tx)
    // A search is answered from a bitmap of its matches. On a small table, reading every row of
    // another index and filtering looks as cheap: the search check rules out ordered scans and
    // weighs each row read as it weighs at scale.
    if (opts.bitmapOnly) {
      await sql`set local enable_indexscan = off`.execute(tx)
      await sql`set local cpu_tuple_cost = 1`.execute(tx)
    } else {
      // An order check: gathering a few hundred matches from a bitmap and sorting them is the same
      // small-table choice as a sequential scan (on PostgreSQL's statistics it won for the status
      // filter once contacts_status_sort offered a narrower bitmap); what is checked is which index
      // serves the order, as it must at scale.
      await sql`set local enable_bitmapscan = off`.execute(tx)
      // Likewise a few hundred rows read through another index and sorted: on the suite's shared
      // PostgreSQL, whose statistics hold every file's rows, the owner filter once went through
      // the owner sort index and a sort. Sorting is discouraged, not forbidden: a query that no
      // index can serve in order still shows its Sort, and fails.
      if (!opts.sortAllowed) await sql`set local enable_sort = off`.execute(tx)
    }
    const page = pages[0]!
    const result = await tx.executeQuery<{ 'QUERY PLAN': [{ Plan: PlanNode }] | string }>(
      CompiledQuery.raw(`explain (format json) ${page.sql}`, [...page.parameters]),
    )
    const raw = result.rows[0]!['QUERY PLAN']
    const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw)[0].Plan as PlanNode
    return nodesOf(plan)
  })
}

function summaryOf(nodes: PlanNode[]): string {
  return nodes.map((n) => `${n['Node Type']}${n['Index Name'] ? `(${n['Index Name']})` : ''}`).join(' > ')
}

/**
 * `indexes`: the index that serves the order; more than one when either is a fair choice, with an
 * incremental sort (ties of the first key only) allowed then.
 */
async function expectIndexOrder(url: string, ...indexes: string[]) {
  const nodes = await pagePlan(url)
  const summary = summaryOf(nodes)
  expect(
    nodes.some((n) => indexes.includes(n['Index Name'] ?? '')),
    `${url}: ${summary}`,
  ).toBe(true)
  const sorts = indexes.length > 1 ? /^Sort$/ : /Sort/
  expect(
    nodes.some((n) => sorts.test(n['Node Type'])),
    `${url} sorts: ${summary}`,
  ).toBe(false)
}

async function nextCursor(url: string): Promise<string> {
  const body = (await api(url)).json() as { pagination: { next_cursor: string } }
  return body.pagination.next_cursor
}

describe('list queries read their index in order', () => {
  test('contacts: newest first, by first page and by cursor', async () => {
    await expectIndexOrder('/api/v1/contacts?limit=50', 'contacts_created')
    const cursor = await nextCursor('/api/v1/contacts?limit=50')
    await expectIndexOrder(`/api/v1/contacts?limit=50&cursor=${cursor}`, 'contacts_created')
  })

  test('contacts: case-insensitive name sort in both directions, nulls last, by cursor too', async () => {
    await expectIndexOrder('/api/v1/contacts?sort=name', 'contacts_name_asc')
    await expectIndexOrder('/api/v1/contacts?sort=-name', 'contacts_name_desc')
    const cursor = await nextCursor('/api/v1/contacts?sort=name&limit=20')
    await expectIndexOrder(`/api/v1/contacts?sort=name&limit=20&cursor=${cursor}`, 'contacts_name_asc')
    const back = await nextCursor('/api/v1/contacts?sort=-name&limit=20')
    await expectIndexOrder(`/api/v1/contacts?sort=-name&limit=20&cursor=${back}`, 'contacts_name_desc')
  })

  test('contacts: every other sort reads its index in both directions, first page and by cursor', async () => {
    const sorts: [string, string][] = [
      ['email', 'contacts_email_asc'],
      ['-email', 'contacts_email_desc'],
      ['company', 'contacts_company_asc'],
      ['-company', 'contacts_company_desc'],
      ['status', 'contacts_status_sort'],
      ['-status', 'contacts_status_sort'],
      ['source', 'contacts_source_sort'],
      ['-source', 'contacts_source_sort'],
      ['owner_id', 'contacts_owner_asc'],
      ['-owner_id', 'contacts_owner_desc'],
    ]
    for (const [sort, index] of sorts) {
      const url = `/api/v1/contacts?sort=${sort}&limit=20`
      await expectIndexOrder(url, index)
      await expectIndexOrder(`${url}&cursor=${await nextCursor(url)}`, index)
    }
    // Deep enough to pass the non-null values: the cursor then stands among the contacts without one.
    const pastValues = await nextCursor('/api/v1/contacts?sort=owner_id&limit=100')
    await expectIndexOrder(`/api/v1/contacts?sort=owner_id&limit=20&cursor=${pastValues}`, 'contacts_owner_asc')
  })

  test('contacts: the owner filter reads its own index in list order', async () => {
    await expectIndexOrder(`/api/v1/contacts?owner_id=${ownerId}`, 'contacts_owner')
  })

  test('contacts: substring search uses the trigram index, and reads its matches once, counting them beside the page', async () => {
    const nodes = await pagePlan('/api/v1/contacts?q=rson%2042', { bitmapOnly: true })
    expect(
      nodes.some((n) => n['Index Name'] === 'contacts_search'),
      summaryOf(nodes),
    ).toBe(true)
    expect(nodes.some((n) => n['Node Type'] === 'Seq Scan')).toBe(false)
    expect(nodes.some((n) => n['Node Type'] === 'WindowAgg')).toBe(true)
    // No second read of the matches for the total.
    const statements = captured.map((node) => compiler.compileQuery(node, { queryId: 'count' } as never).sql)
    expect(statements.filter((q) => q.includes('count(*)::int'))).toEqual([])
  })

  test('contacts: a tag with a source is counted from one GIN index holding tags, status and source', async () => {
    const nodes = await pagePlan('/api/v1/contacts?limit=1&tag=vip&source=form', {
      bitmapOnly: true,
      count: true,
      ownTable: true,
    })
    // The copy's indexes are named by PostgreSQL: contacts_tags_status_source_idx for contacts_tag_filters.
    const scan = nodes.find((n) => n['Index Name'] === 'contacts_tags_status_source_idx') as
      | (PlanNode & { 'Index Cond'?: string })
      | undefined
    expect(scan?.['Index Cond'] ?? 'not read', summaryOf(nodes)).toMatch(/tags @>.*source =/)
    expect(nodes.some((n) => n['Node Type'] === 'BitmapAnd')).toBe(false)
  })

  describe('a tag, alone or with a status, is answered from contact_tags', () => {
    const statusAndTag = {
      limit: 1,
      filter: {
        and: [
          { field: 'status', op: 'eq', value: 'customer' },
          { field: 'tags', op: 'contains', value: 'VIP' },
        ],
      },
    }
    const cases: [string, string, unknown][] = [
      ['?tag=vip', 'contact_tags_newest', undefined],
      ['?tag=vip&status=customer', 'contact_tags_status', undefined],
      ['/search: status eq and tags contains', 'contact_tags_status', statusAndTag],
    ]
    const urlOf = (what: string, body: unknown) =>
      body === undefined ? `/api/v1/contacts${what}&limit=1` : '/api/v1/contacts/search'

    test.each(cases)('%s: counted index-only from %s, never from contacts', async (what, index, body) => {
      const nodes = await pagePlan(urlOf(what, body), { count: true, countOf: 'contact_tags', body })
      expect(
        nodes.some((n) => n['Node Type'] === 'Index Only Scan' && n['Index Name'] === index),
        summaryOf(nodes),
      ).toBe(true)
      expect(summaryOf(nodes)).not.toMatch(/contacts_|Sort/)
    })

    test.each(cases)(
      '%s: the page takes its ids from %s in list order, then each contact by key',
      async (what, index, body) => {
        // The page's own few rows are sorted (the order of ids read from contact_tags is not one the
        // planner can carry over to contacts), so sorting is allowed here.
        const nodes = await pagePlan(urlOf(what, body), { body, sortAllowed: true })
        const summary = summaryOf(nodes)
        expect(
          nodes.some((n) => n['Node Type'] === 'Index Only Scan' && n['Index Name'] === index),
          summary,
        ).toBe(true)
        expect(summary).toMatch(/contacts_pkey/)
        // Only the page's rows are sorted: no index of contacts is walked, and no GIN bitmap gathered.
        expect(summary).not.toMatch(/contacts_created|contacts_tag_filters|Bitmap/)
      },
    )
  })

  test('contacts: a tag in every other sort, both directions, reads its ids from its own index in list order, first page and by cursor', async () => {
    const sorts: [string, string][] = [
      ['name', 'contact_tags_name_asc'],
      ['-name', 'contact_tags_name_desc'],
      ['email', 'contact_tags_email_asc'],
      ['-email', 'contact_tags_email_desc'],
      ['company', 'contact_tags_company_asc'],
      ['-company', 'contact_tags_company_desc'],
      ['owner_id', 'contact_tags_owner_asc'],
      ['-owner_id', 'contact_tags_owner_desc'],
      ['status', 'contact_tags_status_sort'],
      ['-status', 'contact_tags_status_sort'],
      ['source', 'contact_tags_source_sort'],
      ['-source', 'contact_tags_source_sort'],
      ['updated_at', 'contact_tags_updated'],
      ['-updated_at', 'contact_tags_updated'],
    ]
    for (const [sort, index] of sorts) {
      const url = `/api/v1/contacts?tag=vip&sort=${sort}&limit=5`
      for (const page of [url, `${url}&cursor=${await nextCursor(url)}`]) {
        // Only the page's own rows are sorted, once read by key: the ids come from the index
        // straight into their limit, and no index of contacts is walked.
        const summary = summaryOf(await pagePlan(page, { sortAllowed: true }))
        expect(summary, page).toMatch(new RegExp(`Limit > Index (Only )?Scan\\(${index}\\)`))
        expect(summary, page).not.toMatch(/contacts_(name|email|company|owner|status|source|updated|created)|Bitmap/)
      }
    }
  })

  test('contacts: a tag with a status and few contacts in another sort fetches them apart and sorts them, never walking the sort index', async () => {
    // This file's VIP customers all lack a name: walking contacts_name_asc for them would read
    // every named contact first. The walk with a budget that larger matches take, and its fallback,
    // are checked for their results in test/modules/contact-tags.test.ts.
    const nodes = await pagePlan('/api/v1/contacts?tag=vip&status=customer&sort=name&limit=5', { sortAllowed: true })
    const summary = summaryOf(nodes)
    // How each is fetched is the planner's choice: by key at scale; on a few hundred rows, with
    // sequential scans off, some engines read a whole index instead.
    expect(summary).toMatch(/Sort > Subquery Scan > .*Index (Only )?Scan\(contact_tags_\w+\)/)
    expect(summary).not.toMatch(/contacts_name_asc/)
  })

  test('contacts: the status filter reads its own index in list order', async () => {
    await expectIndexOrder('/api/v1/contacts?status=customer', 'contacts_status')
  })

  test('events, activities, deliveries and the audit log page by their indexes', async () => {
    await expectIndexOrder('/api/v1/events', 'events_recent')
    await expectIndexOrder('/api/v1/events?type=contact.created', 'events_type')
    const eventsCursor = await nextCursor('/api/v1/events')
    await expectIndexOrder(`/api/v1/events?cursor=${eventsCursor}`, 'events_recent')
    await expectIndexOrder('/api/v1/activities', 'activities_occurred')
    await expectIndexOrder('/api/v1/activities?type=call', 'activities_type')
    await expectIndexOrder(`/api/v1/webhook_endpoints/${endpointId}/deliveries`, 'webhook_deliveries_endpoint')
    await expectIndexOrder(
      `/api/v1/webhook_endpoints/${endpointId}/deliveries?status=failed`,
      'webhook_deliveries_endpoint_status',
    )
    await expectIndexOrder('/api/v1/audit_log', 'audit_log_org')
  })
})
