import Type, { type TSchema } from 'typebox'
import { ERROR_STATUS, type ErrorCode } from './errors.js'

/** The answer to a DELETE: `{"id":"c_…","object":"contact","deleted":true}`. */
export function Deleted<T extends TSchema>(object: T) {
  return Type.Object(
    {
      id: Type.String({ description: 'Id of the deleted object' }),
      // The caller's literal carries no description of its own; the copy keeps its validation keywords.
      object: { ...object, description: 'The type of the deleted object' } as T,
      deleted: Type.Literal(true, { description: 'Always true: the object no longer exists' }),
    },
    { description: 'Confirms a deletion' },
  )
}

const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[]

/**
 * Documentation only: the error handler writes this body itself (see `src/http/error-handler.ts`), so this schema
 * never validates or serializes anything. It is the one `Error` component every error response uses.
 */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.Enum(ERROR_CODES, {
          description: 'Machine-readable reason, from the closed set documented in docs/errors.md',
          examples: ['validation_failed'],
        }),
        message: Type.String({
          description: 'What went wrong, for a person; may change between versions, so do not parse it',
          examples: ['email: Must be a valid email'],
        }),
        details: Type.Optional(
          Type.Array(
            Type.Object(
              {
                field: Type.String({
                  description: 'Dotted path of the offending field, or `(root)` for the whole body',
                  examples: ['email'],
                }),
                message: Type.String({
                  description: 'What is wrong with that field',
                  examples: ['Must be a valid email'],
                }),
              },
              { description: 'One problem with one field' },
            ),
            { description: 'Present on validation errors: one entry per bad field, at most 100' },
          ),
        ),
        details_omitted: Type.Optional(
          Type.Integer({
            description: 'Present when more than 100 problems were found: how many are not listed in `details`',
            examples: [4900],
          }),
        ),
        retry_after: Type.Optional(
          Type.Integer({
            description: 'Present on rate_limited: seconds to wait before retrying (same as the Retry-After header)',
            examples: [12],
          }),
        ),
        request_id: Type.String({
          description: 'Id of this request (also the X-Request-Id header); quote it when reporting a problem',
          examples: ['req_01jd3k8m2x7q9v4b6n5t0w1y2z'],
        }),
      },
      { description: 'What went wrong' },
    ),
  },
  {
    $id: 'Error',
    description: 'The body of every error response',
    examples: [
      {
        error: {
          code: 'validation_failed',
          message: 'email: Must be a valid email',
          details: [{ field: 'email', message: 'Must be a valid email' }],
          request_id: 'req_01jd3k8m2x7q9v4b6n5t0w1y2z',
        },
      },
    ],
  },
)
