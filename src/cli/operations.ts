import type { ErrorObject } from 'ajv'
import Type, { type Static, type TSchema } from 'typebox'
import { ApiError } from '../core/errors.js'
import { validationDetails, validatorCompiler } from '../core/validation.js'
import { migrate } from '../db/migrator.js'
import type { Db } from '../db/schema.js'
import { PasswordReset, UserInvite } from '../modules/accounts/sign-in-links.schemas.js'
import type { SignInLinks } from '../modules/accounts/sign-in-links.service.js'
import { ApiKeyCreate } from '../modules/api-keys/api-keys.schemas.js'
import type { ApiKeyView } from '../modules/api-keys/api-keys.service.js'
import { OrgCreate } from '../modules/orgs/orgs.schemas.js'
import { OrgsService } from '../modules/orgs/orgs.service.js'

/**
 * What the operator CLI can do. An operation is plain JSON (`{command, args}`) so that the CLI can
 * run it on the database itself or hand it to the server that holds the embedded data dir; both
 * paths validate and run it here, so they cannot drift apart.
 */
function operation<S extends TSchema, R>(args: S, run: (ctx: OperationContext, args: Static<S>) => Promise<R>) {
  const validate = validatorCompiler({ schema: args, method: 'POST', url: '/', httpPart: 'body' })
  return { args, validate, run }
}

const Id = Type.String({ minLength: 1, maxLength: 64 })
const NoArgs = Type.Object({}, { additionalProperties: false })
const PAGE = 100

/** What an operation runs with: the database, and the sign-in links it may make (built from the public URL). */
export interface OperationContext {
  db: Db
  links: SignInLinks
}

export const OPERATIONS = {
  'org.create': operation(OrgCreate, ({ db, links }, args) => new OrgsService(db, links).create(args)),
  'org.list': operation(NoArgs, async ({ db }) => {
    const orgs = new OrgsService(db)
    const data = await collectPages((offset) => orgs.list({ limit: PAGE, offset }))
    return { data }
  }),
  'key.create': operation(
    Type.Object({ org: Id, ...ApiKeyCreate.properties }, { additionalProperties: false }),
    ({ db }, { org, ...input }) => new OrgsService(db).createKey(org, input),
  ),
  'key.list': operation(Type.Object({ org: Id }, { additionalProperties: false }), async ({ db }, args) => {
    const orgs = new OrgsService(db)
    const data: ApiKeyView[] = await collectPages((offset) => orgs.listKeys(args.org, { limit: PAGE, offset }))
    return { data }
  }),
  'key.revoke': operation(Type.Object({ key: Id }, { additionalProperties: false }), async ({ db }, args) => {
    const key = await new OrgsService(db).revokeKey(args.key)
    return { id: key.id, object: 'api_key' as const, revoked: true as const }
  }),
  'user.invite': operation(UserInvite, ({ links }, args) => links.invite(args)),
  'user.reset-password': operation(PasswordReset, ({ links }, args) => links.resetPassword(args.email)),
  migrate: operation(NoArgs, async ({ db }) => {
    const applied = await migrate(db)
    return { applied: applied.map((m) => ({ version: m.version, name: m.name })) }
  }),
}

export type CommandName = keyof typeof OPERATIONS
export const COMMAND_NAMES = Object.keys(OPERATIONS) as CommandName[]

export interface OperationRequest {
  command: CommandName
  args: Record<string, unknown>
}

/** Throws validation_failed, naming the CLI flag, unless `request.args` fit the command. */
export function checkOperation(request: OperationRequest): void {
  const op = OPERATIONS[request.command]
  if (!op) throw new ApiError('validation_failed', `Unknown command ${String(request.command)}`)
  if (op.validate(request.args) === true) return
  const details = validationDetails((op.validate.errors ?? []) as ErrorObject[]).map((d) => ({
    field: d.field.split('.')[0] ?? d.field,
    message: d.message,
  }))
  const first = details[0]
  throw new ApiError('validation_failed', first ? `--${first.field}: ${first.message}` : 'Invalid arguments', {
    details,
  })
}

export async function runOperation(ctx: OperationContext, request: OperationRequest): Promise<unknown> {
  checkOperation(request)
  const op = OPERATIONS[request.command]
  return op.run(ctx, request.args as never)
}

async function collectPages<T>(page: (offset: number) => Promise<{ rows: T[]; total: number }>): Promise<T[]> {
  const all: T[] = []
  for (;;) {
    const { rows, total } = await page(all.length)
    all.push(...rows)
    if (rows.length === 0 || all.length >= total) return all
  }
}
