import { newId } from '../src/lib/ids.js'
import type { TestApp } from './harness.js'

/** A contact with a unique email, made through the API with the given headers (default: the org's live key). */
export const newContact = async (h: TestApp, headers: Record<string, string> = {}) =>
  (await h.api('POST', '/api/v1/contacts', { email: `${Math.random()}@example.com` }, headers)).json().id as string

/** A user of the organization; usernames are unique across the installation, so each is random. */
export async function insertUser(h: TestApp, orgId = h.org.id): Promise<string> {
  const id = newId('user')
  const handle = Math.random().toString(36).slice(2, 10)
  await h.deps.db
    .insertInto('users')
    .values({ id, org_id: orgId, name: 'Sam', email: `${handle}@example.com`, username: `u${handle}` })
    .execute()
  return id
}

export interface DealRowValues {
  livemode?: boolean
  title?: string
  created_at?: string
  won_at?: string
  lost_at?: string
  lost_reason?: string
}

/**
 * A deal row written straight to the table, in a pipeline of its own: for tests that need a deal
 * at fixed times (the API stamps the current time) or that are not about deals.
 */
export async function insertDeal(h: TestApp, contactId: string | null, values: DealRowValues = {}): Promise<string> {
  const { livemode = true, ...fields } = values
  const db = h.deps.db
  const scope = { org_id: h.org.id, livemode }
  const pipelineId = newId('pipeline')
  const stageId = newId('stage')
  await db
    .insertInto('pipelines')
    .values({ id: pipelineId, ...scope, name: `Sales ${pipelineId}`, position: 0 })
    .execute()
  await db
    .insertInto('stages')
    .values({ id: stageId, ...scope, pipeline_id: pipelineId, name: 'Lead', position: 0 })
    .execute()
  const id = newId('deal')
  await db
    .insertInto('deals')
    .values({
      id,
      ...scope,
      title: 'Enterprise plan',
      value: '12000',
      currency: 'USD',
      pipeline_id: pipelineId,
      stage_id: stageId,
      contact_id: contactId,
      status: fields.won_at ? 'won' : fields.lost_at ? 'lost' : 'open',
      ...(fields.created_at ? { updated_at: fields.created_at } : {}),
      ...fields,
    })
    .execute()
  return id
}

/** Event types without `tag.created`, for tests about other events of changes that also create tags. */
export const withoutTagCreations = (types: string[]) => types.filter((t) => t !== 'tag.created')
