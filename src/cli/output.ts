import { ConfigError } from '../config.js'
import { ApiError } from '../core/errors.js'
import type { SignInLink } from '../modules/accounts/sign-in-links.schemas.js'
import type { ApiKeyView } from '../modules/api-keys/api-keys.service.js'
import type { Org, OrgCreated } from '../modules/orgs/orgs.schemas.js'
import type { CommandName } from './operations.js'

/** A failure of the CLI itself (the data dir is busy, the server does not answer…). */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

export interface ErrorSummary {
  code: string
  message: string
}

/** The code and one-line message to show for anything a command threw. */
export function summarizeError(err: unknown): ErrorSummary {
  if (err instanceof CliError || err instanceof ApiError) return { code: err.code, message: oneLine(err.message) }
  if (err instanceof ConfigError) return { code: 'invalid_config', message: oneLine(err.message) }
  const message = err instanceof Error ? err.message : String(err)
  return { code: 'internal_error', message: oneLine(message) }
}

/** Text for people; the --json output is the result itself. */
export function describeResult(command: CommandName, result: unknown): string {
  switch (command) {
    case 'org.create': {
      const { org, api_key, owner, next_step } = result as OrgCreated
      const ownerText = owner ? describeLink(owner) : `${next_step}.\n`
      return `Created organization ${org.id} "${org.name}" (plan ${org.plan}).\n${describeNewKey(api_key)}\n${ownerText}`
    }
    case 'user.invite':
    case 'user.reset-password':
      return describeLink(result as SignInLink)
    case 'org.list':
      return table(
        ['ID', 'NAME', 'PLAN', 'CREATED'],
        (result as { data: Org[] }).data.map((o) => [o.id, o.name, o.plan, o.created_at]),
        'No organizations.',
      )
    case 'key.create':
      return describeNewKey(result as ApiKeyView)
    case 'key.list':
      return table(
        ['ID', 'NAME', 'MODE', 'PREFIX', 'SCOPES', 'LAST USED', 'EXPIRES'],
        (result as { data: ApiKeyView[] }).data.map((k) => [
          k.id,
          k.name,
          k.mode,
          k.prefix,
          k.scopes.join(','),
          k.last_used_at ?? 'never',
          k.expires_at ?? 'never',
        ]),
        'No active keys.',
      )
    case 'key.revoke':
      return `Revoked API key ${(result as { id: string }).id}: it stops working within a second.\n`
    case 'migrate': {
      const { applied } = result as { applied: { version: number; name: string }[] }
      if (applied.length === 0) return 'The database schema is up to date.\n'
      return applied.map((m) => `Applied migration ${String(m.version).padStart(4, '0')}_${m.name}\n`).join('')
    }
  }
}

function describeLink(link: SignInLink): string {
  const what =
    link.purpose === 'reset_password'
      ? `A password reset link for ${link.user.email}`
      : `A sign-in link for ${link.user.name} <${link.user.email}> (${link.user.role} of ${link.user.org_id})`
  return [
    `${what}. Open it to set a password and sign in; it works once, until ${link.expires_at}:`,
    '',
    `  ${link.url}`,
    '',
  ].join('\n')
}

function describeNewKey(key: ApiKeyView): string {
  return [
    `API key ${key.id} "${key.name}" (${key.mode}, scopes ${key.scopes.join(',')}):`,
    '',
    `  ${key.key}`,
    '',
    'Store it now: it is shown only this once.',
    '',
  ].join('\n')
}

function table(headers: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `${empty}\n`
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  return `${[headers, ...rows].map(line).join('\n')}\n`
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim()
}
