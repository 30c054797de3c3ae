import Type, { type Static, type TSchema } from 'typebox'
import { ERROR_STATUS } from '../../core/errors.js'
import { FORMS_MAX_LIMIT } from '../leads/forms/forms.schemas.js'

/**
 * The shapes of the `/v1` routes, which follow an email and form tool's published API (Sarbacane):
 * camelCase, bare arrays, `{id, name}` forms, and its own error body.
 */

const FORM_ID = 'form_01jd3k8m2x7q9v4b6n5t0w1y2z'
const Name = Type.String({ minLength: 1, maxLength: 200, description: 'Form name', examples: ['Contact us'] })

export const SarbacaneError = Type.Object(
  {
    message: Type.String({
      description:
        'The error, as the document names it: `NEED_ACCOUNT_ID` (401), `NEED_API_KEY` (401), `API_KEY_UNAUTHORIZED` (400 on /v1/webhooks, 401 on /v1/forms), `INTERNAL_SERVER_ERROR` (500); any other failure is Rapport’s `code` in capitals (`NOT_FOUND`, `VALIDATION_FAILED`, `RATE_LIMITED`, `PLAN_LIMIT`, …)',
      examples: ['NEED_API_KEY'],
    }),
    description: Type.String({
      description: 'What went wrong and what to do, for a person',
      examples: ['No API key: send the apiKey header, or HTTP Basic ACCOUNTID:APIKEY'],
    }),
    code: Type.Enum(Object.keys(ERROR_STATUS), {
      description: 'Rapport’s own error code (docs/errors.md), the same as on the native routes',
      examples: ['unauthenticated'],
    }),
    details: Type.Optional(
      Type.Array(
        Type.Object(
          {
            field: Type.String({ description: 'Dotted path of the offending field', examples: ['name'] }),
            message: Type.String({ description: 'What is wrong with it', examples: ['Give exactly one name'] }),
          },
          { description: 'One problem with one field' },
        ),
        { description: 'Present on validation errors: one entry per bad field' },
      ),
    ),
    retry_after: Type.Optional(Type.Integer({ description: 'On 429: seconds to wait (also `Retry-After`)' })),
    request_id: Type.String({ description: 'This request’s id (also `X-Request-Id`)', examples: ['req_01jd3k8m2x7q'] }),
  },
  {
    $id: 'SarbacaneError',
    description: 'The error body of the /v1 routes',
    examples: [
      {
        message: 'NEED_ACCOUNT_ID',
        description: 'No account id: send the accountId header, or HTTP Basic ACCOUNTID:APIKEY',
        code: 'unauthenticated',
        request_id: 'req_01jd3k8m2x7q',
      },
    ],
  },
)
export type SarbacaneError = Static<typeof SarbacaneError>

/** The document's messages by status (API_KEY_UNAUTHORIZED is 400 on webhooks, 401 on forms). */
const DOCUMENT_MESSAGES: Record<number, string[]> = {
  400: ['API_KEY_UNAUTHORIZED'],
  401: ['NEED_ACCOUNT_ID', 'NEED_API_KEY', 'API_KEY_UNAUTHORIZED'],
  500: ['INTERNAL_SERVER_ERROR'],
}

/** The error statuses every /v1 route documents, each with the /v1 error body (a shared schema). */
export function sarbacaneErrors(hasBody: boolean): Record<number, TSchema> {
  const statuses = [400, 401, 403, 404, ...(hasBody ? [409, 413, 415, 422] : []), 429, 500]
  return Object.fromEntries(
    statuses.map((status) => {
      const codes = Object.entries(ERROR_STATUS)
        .filter(([, s]) => s === status)
        .map(([c]) => `\`${c}\``)
      const messages = (DOCUMENT_MESSAGES[status] ?? []).map((m) => `\`${m}\``)
      const description = `Error, in the /v1 body: ${[...messages, ...codes].join(', ')}`
      return [status, { $ref: 'SarbacaneError#', description } as TSchema]
    }),
  )
}

/** The credential headers, documented (each is optional: HTTP Basic ACCOUNTID:APIKEY works too). */
export const CredentialHeaders = Type.Object(
  {
    accountid: Type.Optional(
      Type.String({
        description: '`accountId`: the organization id (or give both as HTTP Basic ACCOUNTID:APIKEY)',
        examples: ['org_01jd3k8m2x7q9v4b6n5t0w1y2z'],
      }),
    ),
    apikey: Type.Optional(
      Type.String({ description: '`apiKey`: a secret API key of that organization', examples: ['rk_live_4f9Q…'] }),
    ),
  },
  { additionalProperties: true },
)

export const SarbacaneForm = Type.Object(
  {
    id: Type.String({ description: 'Form id', examples: [FORM_ID] }),
    name: Name,
  },
  { description: 'A form, in the /v1 shape', examples: [{ id: FORM_ID, name: 'Contact us' }] },
)
export type SarbacaneForm = Static<typeof SarbacaneForm>

export const SarbacaneFormList = Type.Array(SarbacaneForm, {
  description: 'Forms of the organization in the mode of the key, newest first, as a bare JSON array',
  examples: [[{ id: FORM_ID, name: 'Contact us' }]],
})

export const SarbacaneFormListQuery = Type.Object(
  {
    offset: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0, description: 'Skip this many forms', examples: [0] }),
    ),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: FORMS_MAX_LIMIT,
        default: FORMS_MAX_LIMIT,
        description: `How many forms at most (1 to ${FORMS_MAX_LIMIT}; default ${FORMS_MAX_LIMIT})`,
        examples: [100],
      }),
    ),
  },
  { additionalProperties: false },
)
export type SarbacaneFormListQuery = Static<typeof SarbacaneFormListQuery>

export const SarbacaneFormName = Type.Object(
  {
    name: Type.Union([Name, Type.Array(Name, { maxItems: 100 })], {
      description: 'The new name: a string, or an array of exactly one string (as the document sends it)',
      examples: [['Contact sales']],
    }),
  },
  {
    additionalProperties: false,
    description: 'A form’s new name',
    examples: [{ name: ['Contact sales'] }, { name: 'Contact sales' }],
  },
)
export type SarbacaneFormName = Static<typeof SarbacaneFormName>

export const SarbacaneFormIdParams = Type.Object({
  formId: Type.String({ maxLength: 64, description: 'Form id', examples: [FORM_ID] }),
})

export const SarbacaneWebhookIdParams = Type.Object({
  webhookId: Type.String({ maxLength: 64, description: 'Webhook id', examples: ['we_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
})
