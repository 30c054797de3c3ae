import Type from 'typebox'
import { defineEvent, eventAt, eventId, nullable } from '../../outbox/define.js'

/** The data of import.completed / import.failed: the import as `GET /api/v1/imports/{id}` shows it. */
const importData = (status: 'completed' | 'failed') =>
  Type.Object(
    {
      id: eventId('imp_01jd3k8m2x7q9v4b6n5t0w1y2z', 'The import'),
      status: Type.Literal(status, { description: 'How the import ended' }),
      file_name: nullable(
        Type.String({ description: 'Name of the uploaded file, when it had one', examples: ['contacts.csv'] }),
      ),
      rows_read: Type.Integer({ description: 'Data rows read (the header not counted)', examples: [1000] }),
      created: Type.Integer({ description: 'Rows that created a contact', examples: [980] }),
      updated: Type.Integer({ description: 'Rows that updated a contact', examples: [15] }),
      failed: Type.Integer({ description: 'Rows skipped; listed by GET /api/v1/imports/{id}/errors', examples: [5] }),
      error: nullable(
        Type.String({
          description: 'Why the import failed; null when it completed',
          examples: ['The CSV is malformed near line 7: Quote Not Closed'],
        }),
      ),
      imported_by: Type.String({
        description: 'Who started the import (as in contact.imported)',
        examples: ['user_01jd3k8m2x7q9v4b6n5t0w1y2z'],
      }),
      finished_at: eventAt('When it ended'),
    },
    {
      examples: [
        {
          id: 'imp_01jd3k8m2x7q9v4b6n5t0w1y2z',
          status,
          file_name: 'contacts.csv',
          rows_read: 1000,
          created: 980,
          updated: 15,
          failed: 5,
          error: status === 'failed' ? 'The CSV is malformed near line 1002: Quote Not Closed' : null,
          imported_by: 'user_01jd3k8m2x7q9v4b6n5t0w1y2z',
          finished_at: '2025-01-15T09:31:12.000Z',
        },
      ],
    },
  )

export const importCompleted = defineEvent({
  name: 'import.completed',
  description: 'An import job (`POST /api/v1/imports`) read its whole file; `data` is the import',
  data: importData('completed'),
})

export const importFailed = defineEvent({
  name: 'import.failed',
  description:
    'An import job stopped before the end of its file (not valid CSV, or interrupted too often); rows written before stay',
  data: importData('failed'),
})

export const IMPORT_EVENTS = [importCompleted, importFailed] as const
