import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../core/pagination.js'

const ImportId = Type.String({ maxLength: 64, description: 'Import id', examples: ['imp_01jd3k8m2x7q9v4b6n5t0w1y2z'] })
const nullableTime = (description: string) =>
  Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description })

export const ImportError = Type.Object({
  row: Type.Integer({ description: 'Row number as a spreadsheet shows it (the header is row 1)', examples: [7] }),
  message: Type.String({ description: 'Why the row was skipped', examples: ['email: Must be a valid email'] }),
})

export const Import = Type.Object(
  {
    id: ImportId,
    object: Type.Literal('import', { description: 'Always `import`' }),
    status: Type.Enum(['queued', 'running', 'completed', 'failed'], {
      description:
        '`queued` until a worker takes it, `running` while rows are written, then `completed` (the whole file was read) or `failed` (see `error`; rows written before stay)',
      examples: ['running'],
    }),
    file_name: Type.Union([Type.String(), Type.Null()], {
      description: 'Name of the uploaded file (multipart uploads); null for a text/csv body',
      examples: ['contacts.csv'],
    }),
    bytes: Type.Integer({ description: 'Size of the file', examples: [104857] }),
    rows_total: Type.Union([Type.Integer(), Type.Null()], {
      description: 'Data rows in the file (the header not counted); null until a worker has checked the file',
      examples: [1000],
    }),
    rows_read: Type.Integer({ description: 'Data rows read and accounted for so far', examples: [500] }),
    created: Type.Integer({ description: 'Rows that created a contact', examples: [490] }),
    updated: Type.Integer({
      description: 'Rows that updated a contact (matched by email, or external_id)',
      examples: [8],
    }),
    failed: Type.Integer({
      description: 'Rows skipped (invalid, or in conflict); listed by `GET /api/v1/imports/{id}/errors`',
      examples: [2],
    }),
    error: Type.Union([Type.String(), Type.Null()], {
      description: 'Why the import failed; null unless `status` is `failed`',
      examples: [null],
    }),
    first_errors: Type.Optional(
      Type.Array(ImportError, {
        description: 'The first 20 skipped rows, in row order (on `GET /api/v1/imports/{id}`)',
      }),
    ),
    imported_by: Type.String({
      description:
        'Who started the import: the person (dashboard user, or the user who created the API key), else the key',
      examples: ['user_01jd3k8m2x7q9v4b6n5t0w1y2z'],
    }),
    created_at: Type.String({ format: 'date-time', description: 'When the file was received' }),
    started_at: nullableTime('When a worker first took the import'),
    finished_at: nullableTime('When it completed or failed'),
  },
  {
    description: 'A CSV import run as a job',
    examples: [
      {
        id: 'imp_01jd3k8m2x7q9v4b6n5t0w1y2z',
        object: 'import',
        status: 'running',
        file_name: 'contacts.csv',
        bytes: 104857,
        rows_total: 1000,
        rows_read: 500,
        created: 490,
        updated: 8,
        failed: 2,
        error: null,
        first_errors: [{ row: 7, message: 'email: Must be a valid email' }],
        imported_by: 'user_01jd3k8m2x7q9v4b6n5t0w1y2z',
        created_at: '2025-01-15T09:30:00.000Z',
        started_at: '2025-01-15T09:30:00.120Z',
        finished_at: null,
      },
    ],
  },
)
export type Import = Static<typeof Import>

export const ImportList = ListOf(Import)
export const ImportListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })
export const ImportIdParams = Type.Object({ id: ImportId })
