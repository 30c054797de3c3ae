import Type, { type Static } from 'typebox'
import { ERROR_STATUS } from '../../../core/errors.js'
import { PageQuery } from '../../../core/pagination.js'
import { CONTACT_SORTS, ContactCreate } from '../contacts.schemas.js'

// ---- CSV import -------------------------------------------------------------------------------

export const ImportQuery = Type.Object(
  {
    mapping: Type.Optional(
      Type.String({
        maxLength: 20_000,
        description:
          'JSON object from a CSV header to a field (`name`, `email`, `phone`, `company`, `status`, `source`, `tags`, `external_id`, `owner_id` (a user id or a user’s email) or `custom_fields.<key>`), or to null to ignore the column. Columns it does not name map by header.',
        examples: ['{"E-mail":"email","Plan":"custom_fields.plan","Notes":null}'],
      }),
    ),
  },
  { additionalProperties: false },
)
export type ImportQuery = Static<typeof ImportQuery>

const CsvText = Type.String({
  description: 'CSV text, UTF-8, with a header row',
  examples: ['name,email,tags\nJane Doe,jane@example.com,lead;vip\n'],
})

/** What the import accepts, for the OpenAPI document only: the route streams the body itself. */
export const ImportBody = {
  content: {
    'text/csv': { schema: CsvText },
    'multipart/form-data': {
      schema: Type.Object(
        {
          file: Type.String({ format: 'binary', description: 'The CSV file' }),
          mapping: Type.Optional(Type.String({ description: 'As the `mapping` query parameter (JSON)' })),
        },
        { examples: [{ file: 'contacts.csv', mapping: '{"E-mail":"email"}' }] },
      ),
    },
  },
}

export const ImportResult = Type.Object(
  {
    imported: Type.Integer({ description: 'Rows that created a contact', examples: [980] }),
    updated: Type.Integer({ description: 'Rows that updated an existing contact (matched by email)', examples: [15] }),
    skipped: Type.Integer({
      description: 'Rows not written; each is listed in `errors` (up to the cap)',
      examples: [5],
    }),
    errors: Type.Array(
      Type.Object({
        row: Type.Integer({ description: 'Row number as a spreadsheet shows it (the header is row 1)', examples: [7] }),
        message: Type.String({ description: 'What is wrong with the row', examples: ['email: Must be a valid email'] }),
      }),
      { description: 'Skipped rows in row order: the first 1,000' },
    ),
    errors_truncated: Type.Boolean({ description: 'Whether more rows were skipped than `errors` lists' }),
  },
  { description: 'The outcome of a CSV import' },
)

// ---- batch upsert -----------------------------------------------------------------------------

export const BATCH_MAX_ITEMS = 100

export const BatchUpsertBody = Type.Object(
  {
    contacts: Type.Array(ContactCreate, {
      minItems: 1,
      maxItems: BATCH_MAX_ITEMS,
      description:
        'Up to 100 contacts, each as the body of `POST /api/v1/contacts`. Items are checked one by one: a bad item is an `error` result, not a failed request.',
    }),
    match_on: Type.Optional(
      Type.Enum(['email', 'external_id'], {
        default: 'email',
        description:
          'The field that finds an existing contact (email case-insensitively); each item must carry it. A match is updated as a PATCH would (tags replaced, custom fields merged), otherwise a contact is created',
        examples: ['email'],
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        match_on: 'email',
        contacts: [
          { email: 'jane@example.com', name: 'Jane Doe', status: 'customer' },
          { email: 'sam@example.com', tags: ['lead'] },
        ],
      },
    ],
  },
)
export type BatchUpsertBody = Static<typeof BatchUpsertBody>

/** Only the envelope is checked by the schema; each item is checked on its own by the service. */
export const BatchUpsertEnvelope = {
  ...BatchUpsertBody,
  properties: {
    ...BatchUpsertBody.properties,
    contacts: { ...BatchUpsertBody.properties.contacts, items: { type: 'object' } },
  },
}

export const BatchItemResult = Type.Object({
  index: Type.Integer({ description: 'Position of the item in `contacts`, from 0', examples: [0] }),
  status: Type.Enum(['created', 'updated', 'error'], { description: 'What happened to the item' }),
  id: Type.Union([Type.String(), Type.Null()], {
    description: 'The contact created or updated; null on error',
    examples: ['c_01jd3k8m2x7q9v4b6n5t0w1y2z'],
  }),
  error: Type.Union(
    [
      Type.Object({
        code: Type.Enum(Object.keys(ERROR_STATUS), { description: 'Error code, as in error responses' }),
        message: Type.String({ description: 'What went wrong' }),
        details: Type.Optional(
          Type.Array(
            Type.Object({
              field: Type.String({ description: 'The field at fault', examples: ['email'] }),
              message: Type.String({ description: 'What is wrong with it' }),
            }),
            {
              description: 'The fields of the item at fault',
            },
          ),
        ),
      }),
      Type.Null(),
    ],
    { description: 'Why the item failed; null otherwise' },
  ),
})
export type BatchItemResult = Static<typeof BatchItemResult>

export const BatchUpsertResult = Type.Object({
  results: Type.Array(BatchItemResult, { description: 'One result per item, in item order' }),
  created: Type.Integer({ description: 'Items that created a contact' }),
  updated: Type.Integer({ description: 'Items that updated a contact' }),
  failed: Type.Integer({ description: 'Items with an error' }),
})
export type BatchUpsertResult = Static<typeof BatchUpsertResult>

// ---- search -----------------------------------------------------------------------------------

export const SearchBody = Type.Object(
  {
    filter: Type.Optional(
      Type.Object(
        {},
        {
          additionalProperties: true,
          description:
            'A condition `{"field","op","value"}` or a group `{"and":[…]}`, `{"or":[…]}`, `{"not":{…}}`, nested up to 6 levels and 50 nodes. Fields: id, name, email, phone, company, external_id, status, source, owner_id (a user id, or `me` for the signed-in user), tags, created_at, updated_at, `custom_fields.<key>`. Operators: eq, neq, lt, gt, contains, in, exists (see docs/import-and-search.md for which field takes which). An invalid filter is a 422 whose detail names the failing part, e.g. `filter.and[1].or[0].op`.',
          examples: [
            {
              and: [
                { field: 'status', op: 'eq', value: 'customer' },
                {
                  or: [
                    { field: 'tags', op: 'contains', value: 'vip' },
                    { field: 'custom_fields.plan', op: 'in', value: ['pro', 'teams'] },
                  ],
                },
                { not: { field: 'email', op: 'exists' } },
              ],
            },
          ],
        },
      ),
    ),
    sort: Type.Optional(
      Type.Enum([...CONTACT_SORTS], {
        default: '-created_at',
        description: 'As in `GET /api/v1/contacts`: a leading `-` sorts descending',
        examples: ['-created_at'],
      }),
    ),
    ...PageQuery,
  },
  {
    additionalProperties: false,
    examples: [
      {
        filter: {
          and: [
            { field: 'status', op: 'eq', value: 'customer' },
            { field: 'custom_fields.plan', op: 'in', value: ['pro', 'teams'] },
          ],
        },
        sort: '-created_at',
        limit: 50,
      },
    ],
  },
)
export type SearchBody = Static<typeof SearchBody>
