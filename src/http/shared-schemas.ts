import Type, { type TSchema } from 'typebox'

/** The answer to a DELETE: `{"id":"c_…","object":"contact","deleted":true}`. */
export function Deleted<T extends TSchema>(object: T) {
  return Type.Object({
    id: Type.String({ description: 'Id of the deleted object' }),
    object,
    deleted: Type.Literal(true),
  })
}

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'One of the documented error codes', examples: ['validation_failed'] }),
      message: Type.String({
        description: 'What went wrong, for a person',
        examples: ['email: This field is required'],
      }),
      details: Type.Optional(
        Type.Array(
          Type.Object({
            field: Type.String({ examples: ['email'] }),
            message: Type.String({ examples: ['This field is required'] }),
          }),
        ),
      ),
      retry_after: Type.Optional(Type.Integer({ description: 'With rate_limited: seconds to wait' })),
      request_id: Type.String({ examples: ['req_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    }),
  },
  { $id: 'Error', description: 'The body of every error response' },
)
