import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { ApiError } from '../../../core/errors.js'
import { validatorCompiler } from '../../../core/validation.js'
import { ImportBody, ImportQuery, ImportResult } from './bulk.schemas.js'
import type { ContactsImportService } from './import.service.js'
import { acceptCsvUploads, IMPORT_SYNC_LIMIT_BYTES, type SpooledCsv } from './import-upload.js'

const SYNC_LIMIT_MB = IMPORT_SYNC_LIMIT_BYTES / 1024 / 1024

/** Past the synchronous limit, the answer says where large files go. */
const syncLimit = {
  bytes: IMPORT_SYNC_LIMIT_BYTES,
  tooLarge: () =>
    new ApiError(
      'payload_too_large',
      `The CSV is larger than ${SYNC_LIMIT_MB} MB, the most this route imports while you wait: send it to POST /api/v1/imports, which imports it as a job and reports progress`,
      { details: [{ field: 'file', message: `At most ${SYNC_LIMIT_MB} MB here; use POST /api/v1/imports` }] },
    ),
}

/**
 * `POST /api/v1/contacts/import`, in a plugin of its own: its body parsers (CSV, multipart) and its
 * limit apply to this route only. The file is removed when the response is sent. The import stops
 * after the batch in flight when the client disconnects.
 */
export function contactsImportRoutes(imports: ContactsImportService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const upload = await acceptCsvUploads(app, syncLimit)

    app.post(
      '/api/v1/contacts/import',
      {
        config: { scope: 'write' },
        ...upload,
        // The body is the spooled file, checked while it is parsed; the schema documents it.
        validatorCompiler: (route) => (route.httpPart === 'body' ? () => true : validatorCompiler(route)),
        schema: {
          operationId: 'importContacts',
          summary: 'Import contacts from a small CSV file, while you wait',
          description: `Upserts one contact per CSV row, by email (case-insensitively), then by \`external_id\` for rows without an email. Send the CSV as the body (\`Content-Type: text/csv\`) or as \`multipart/form-data\` with a \`file\` part (and an optional \`mapping\` part); at most ${SYNC_LIMIT_MB} MB (a larger file is a \`413\`: send it to \`POST /api/v1/imports\`, which imports it as a job). Columns map by header (\`name\`, \`email\`, \`phone\`, \`company\`, \`status\`, \`source\`, \`tags\` split on \`;\` or \`,\`, \`external_id\`, \`custom_fields.<key>\`; other headers become custom fields), or by \`mapping\`. Bad rows are skipped and listed with their row number; a later row with the same email as an earlier one updates it (last wins). A file that is not valid CSV imports nothing; otherwise rows are written in batches of 500, each in its own transaction, and one \`contact.imported\` event follows. See docs/import-and-search.md.`,
          tags: ['contacts'],
          querystring: ImportQuery,
          body: ImportBody,
          response: { 200: ImportResult },
        },
      },
      async (req, reply) => {
        const gone = new AbortController()
        const onClose = () => {
          if (!reply.raw.writableEnded) gone.abort()
        }
        reply.raw.once('close', onClose)
        try {
          return await imports.importCsv(req.principal, req.body as unknown as SpooledCsv, gone.signal)
        } finally {
          reply.raw.off('close', onClose)
        }
      },
    )
  }
}
