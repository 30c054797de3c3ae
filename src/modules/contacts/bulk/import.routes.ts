import type { Readable } from 'node:stream'
import multipart from '@fastify/multipart'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ApiError } from '../../../http/errors.js'
import { validatorCompiler } from '../../../http/validation.js'
import { ImportBody, ImportQuery, ImportResult } from './bulk.schemas.js'
import type { ContactsImportService } from './import.service.js'
import { IMPORT_LIMIT_BYTES, SpooledCsv, spoolCsv } from './import-upload.js'

const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain']

function unsupported(): ApiError {
  return new ApiError(
    'unsupported_media_type',
    'Send the CSV as text/csv, or as multipart/form-data with a "file" field',
  )
}

/** Reads a multipart upload: the `file` part is spooled, a `mapping` part kept; anything else is a 422. */
async function spoolMultipart(req: FastifyRequest): Promise<SpooledCsv> {
  let mapping: string | undefined
  let spooled: SpooledCsv | undefined
  try {
    for await (const part of req.parts({ limits: { fileSize: IMPORT_LIMIT_BYTES, files: 1, fields: 5 } })) {
      if (part.type === 'file' && part.fieldname === 'file' && !spooled) {
        spooled = await spoolCsv(part.file as Readable, undefined)
      } else if (part.type === 'field' && part.fieldname === 'mapping') {
        mapping = String(part.value)
      } else {
        if (part.type === 'file') part.file.resume()
        throw new ApiError(
          'validation_failed',
          `${part.fieldname}: Unknown field (send "file" and optionally "mapping")`,
          {
            details: [{ field: part.fieldname, message: 'Unknown field' }],
          },
        )
      }
    }
  } catch (err) {
    await spooled?.discard()
    if (err instanceof ApiError) throw err
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new ApiError('payload_too_large', `The CSV is larger than ${IMPORT_LIMIT_BYTES / 1024 / 1024} MB`)
    }
    throw new ApiError('invalid_json', 'The multipart body could not be read')
  }
  if (!spooled) {
    throw new ApiError('validation_failed', 'file: This field is required', {
      details: [{ field: 'file', message: 'This field is required' }],
    })
  }
  return new SpooledCsv(spooled.path, spooled.bytes, spooled.sha256, mapping)
}

/**
 * `POST /api/v1/contacts/import`, in a plugin of its own: its body parsers (CSV, multipart) and its
 * 100 MB limit apply to this route only, and every other route keeps the 1 MB JSON-only rule.
 * The body is spooled to a temporary file, hashed on the way (`SpooledCsv`), before the
 * idempotency hook runs, so an `Idempotency-Key` covers the file's content; the file is removed
 * when the response is sent.
 */
export function contactsImportRoutes(imports: ContactsImportService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    await app.register(multipart)
    app.addContentTypeParser(
      CSV_TYPES,
      { bodyLimit: IMPORT_LIMIT_BYTES },
      async (req: FastifyRequest, payload: Readable) =>
        spoolCsv(payload, (req.query as { mapping?: string } | undefined)?.mapping),
    )

    app.post(
      '/api/v1/contacts/import',
      {
        config: { scope: 'write' },
        bodyLimit: IMPORT_LIMIT_BYTES,
        // The body is the spooled file, checked while it is parsed; the schema documents it.
        validatorCompiler: (route) => (route.httpPart === 'body' ? () => true : validatorCompiler(route)),
        schema: {
          operationId: 'importContacts',
          summary: 'Import contacts from a CSV file',
          description:
            'Upserts one contact per CSV row, by email (case-insensitively), then by `external_id` for rows without an email. Send the CSV as the body (`Content-Type: text/csv`) or as `multipart/form-data` with a `file` part (and an optional `mapping` part); at most 100 MB. Columns map by header (`name`, `email`, `phone`, `company`, `status`, `source`, `tags` split on `;` or `,`, `external_id`, `custom_fields.<key>`; other headers become custom fields), or by `mapping`. Bad rows are skipped and listed with their row number; a later row with the same email as an earlier one updates it (last wins). The whole import is one transaction with one `contact.imported` event. See docs/import-and-search.md.',
          tags: ['contacts'],
          querystring: ImportQuery,
          body: ImportBody,
          response: { 200: ImportResult },
        },
        preValidation: async (req) => {
          if (req.isMultipart()) req.body = await spoolMultipart(req)
          else if (!(req.body instanceof SpooledCsv)) throw unsupported()
        },
        onResponse: async (req) => {
          if (req.body instanceof SpooledCsv) await req.body.discard()
        },
      },
      async (req) => imports.importCsv(req.principal, req.body as unknown as SpooledCsv),
    )
  }
}
