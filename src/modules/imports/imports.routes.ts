import { Readable } from 'node:stream'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { ApiError } from '../../core/errors.js'
import { validatorCompiler } from '../../core/validation.js'
import { ImportBody, ImportQuery } from '../contacts/bulk/bulk.schemas.js'
import { acceptCsvUploads, IMPORT_JOB_LIMIT_BYTES, type SpooledCsv } from '../contacts/bulk/import-upload.js'
import { Import, ImportIdParams, ImportList, ImportListQuery } from './imports.schemas.js'
import type { ImportsService } from './imports.service.js'

const JOB_LIMIT_MB = IMPORT_JOB_LIMIT_BYTES / 1024 / 1024
const jobLimit = {
  bytes: IMPORT_JOB_LIMIT_BYTES,
  tooLarge: () =>
    new ApiError('payload_too_large', `The CSV is larger than ${JOB_LIMIT_MB} MB; split it into several imports`, {
      details: [{ field: 'file', message: `At most ${JOB_LIMIT_MB} MB` }],
    }),
}

/** Import jobs: upload (202 at once), progress, list, error report. */
export function importsRoutes(imports: ImportsService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['imports']
    const upload = await acceptCsvUploads(app, jobLimit)

    app.post(
      '/api/v1/imports',
      {
        config: { scope: 'write' },
        ...upload,
        // The body is the spooled file, checked while it is parsed; the schema documents it.
        validatorCompiler: (route) => (route.httpPart === 'body' ? () => true : validatorCompiler(route)),
        schema: {
          operationId: 'createImport',
          summary: 'Import contacts from a CSV file, as a job',
          description: `Stores the CSV (at most ${JOB_LIMIT_MB} MB) and answers \`202\` at once with the import; a worker then writes the rows in batches, each in its own transaction, and \`GET /api/v1/imports/{id}\` reports progress. The file, the columns, the \`mapping\` and the upsert rules are those of \`POST /api/v1/contacts/import\`. A mapping or header that maps no contact field is a \`422\` here; a file that is not valid CSV fails the job before any row is written. At the end: one \`contact.imported\` event with the counts, and \`import.completed\` (or \`import.failed\`). See docs/import-and-search.md.`,
          tags,
          querystring: ImportQuery,
          body: ImportBody,
          response: { 202: Import },
        },
      },
      async (req, reply) =>
        reply.code(202).send(await imports.create(req.principal, req.body as unknown as SpooledCsv)),
    )

    app.get(
      '/api/v1/imports',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listImports',
          summary: 'List imports',
          description: 'Import jobs of the organization in the mode of the key, newest first (without `first_errors`).',
          tags,
          querystring: ImportListQuery,
          response: { 200: ImportList },
        },
      },
      async (req) => imports.list(req.principal, req.query),
    )

    app.get(
      '/api/v1/imports/:id',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'getImport',
          summary: 'Get an import and its progress',
          description: 'Status, rows read, created, updated and failed so far, and the first 20 skipped rows.',
          tags,
          params: ImportIdParams,
          response: { 200: Import },
        },
      },
      async (req) => imports.get(req.principal, req.params.id),
    )

    app.get(
      '/api/v1/imports/:id/errors',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'getImportErrors',
          summary: 'Download the error report of an import',
          description:
            'Every skipped row (the first 100,000) as CSV, `row,message`, in row order; the row numbers are those of the uploaded file (the header is row 1). Complete once the import has ended; during it, the rows so far.',
          tags,
          params: ImportIdParams,
          response: {
            200: {
              description: 'The error report',
              content: {
                'text/csv': {
                  schema: Type.String({
                    description: 'CSV with a header row',
                    examples: ['row,message\r\n7,"email: Must be a valid email"\r\n'],
                  }),
                },
              },
            },
          },
        },
      },
      async (req, reply) => {
        const { importId, lines } = await imports.errorReport(req.principal, req.params.id)
        return (
          reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="${importId}-errors.csv"`)
            // A stream: the report is read from the database a page at a time as it is sent.
            .send(Readable.from(lines) as unknown as string)
        )
      },
    )
  }
}
