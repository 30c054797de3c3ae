import { type ParseArgsConfig, parseArgs } from 'node:util'
import type { CommandName, OperationRequest } from './operations.js'

export type ServerRole = 'start' | 'api' | 'worker'

export type ParsedCommand =
  | { kind: 'server'; role: ServerRole }
  | { kind: 'operation'; request: OperationRequest; json: boolean }
  | { kind: 'help'; text: string }
  | { kind: 'listen'; options: ListenOptions }

/** `rapport listen`: a client of a running server's API (the key and URL may also come from the environment). */
export interface ListenOptions {
  forwardTo: string
  key?: string
  apiUrl?: string
  events?: string[]
  secret?: string
}

/** A mistake in the command line itself: exit code 2, and the usage to fix it. */
export class UsageError extends Error {}

const OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  name: { type: 'string' },
  plan: { type: 'string' },
  org: { type: 'string' },
  mode: { type: 'string' },
  scopes: { type: 'string' },
  'expires-at': { type: 'string' },
  'owner-email': { type: 'string' },
  'owner-name': { type: 'string' },
  email: { type: 'string' },
  role: { type: 'string' },
  'forward-to': { type: 'string' },
  key: { type: 'string' },
  url: { type: 'string' },
  events: { type: 'string' },
  secret: { type: 'string' },
} as const satisfies ParseArgsConfig['options']

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string }
type Flag = Exclude<keyof typeof OPTIONS, 'json' | 'help'>

interface CommandSpec {
  usage: string
  summary: string
  flags: readonly Flag[]
  /** Names of the positional arguments, in order. */
  positionals?: readonly string[]
  role?: ServerRole
  /** A client command (`listen`): neither a server nor an operation on the database. */
  listen?: true
  build?: (values: Values, positionals: string[]) => { command: CommandName; args: Record<string, unknown> }
}

const COMMANDS: Record<string, CommandSpec> = {
  start: { usage: 'start', summary: 'Run the API and the workers in one process', flags: [], role: 'start' },
  api: { usage: 'api', summary: 'Run the HTTP API only', flags: [], role: 'api' },
  worker: { usage: 'worker', summary: 'Run the background workers only', flags: [], role: 'worker' },
  migrate: {
    usage: 'migrate',
    summary: 'Apply pending database migrations',
    flags: [],
    build: () => ({ command: 'migrate', args: {} }),
  },
  'org create': {
    usage: 'org create --name NAME [--plan free|pro|teams] [--owner-email EMAIL] [--owner-name NAME]',
    summary: 'Create an organization, its first live secret key (shown once) and its owner’s sign-in link',
    flags: ['name', 'plan', 'owner-email', 'owner-name'],
    build: (v) => {
      if (v['owner-name'] !== undefined && v['owner-email'] === undefined)
        throw new UsageError('--owner-name needs --owner-email')
      const ownerEmail = v['owner-email']
      const owner = ownerEmail && { email: ownerEmail, name: v['owner-name'] ?? ownerEmail.split('@')[0] ?? ownerEmail }
      return { command: 'org.create', args: defined({ name: required(v.name, 'name'), plan: v.plan, owner }) }
    },
  },
  'org list': {
    usage: 'org list',
    summary: 'List organizations',
    flags: [],
    build: () => ({ command: 'org.list', args: {} }),
  },
  'key create': {
    usage: 'key create --org ORG_ID [--mode live|test] [--name NAME] [--scopes read,write] [--expires-at ISO_DATE]',
    summary: 'Create a secret key (shown once)',
    flags: ['org', 'mode', 'name', 'scopes', 'expires-at'],
    build: (v) => ({
      command: 'key.create',
      args: defined({
        org: required(v.org, 'org'),
        mode: v.mode,
        name: v.name,
        scopes: v.scopes?.split(',').map((s) => s.trim()),
        expires_at: v['expires-at'],
      }),
    }),
  },
  'key list': {
    usage: 'key list --org ORG_ID',
    summary: "List an organization's active keys",
    flags: ['org'],
    build: (v) => ({ command: 'key.list', args: { org: required(v.org, 'org') } }),
  },
  'user invite': {
    usage: 'user invite --org ORG_ID --email EMAIL [--role owner|admin|member] [--name NAME]',
    summary: 'Make a single-use link for a person to set a password and sign in (owners included)',
    flags: ['org', 'email', 'role', 'name'],
    build: (v) => ({
      command: 'user.invite',
      args: defined({ org: required(v.org, 'org'), email: required(v.email, 'email'), role: v.role, name: v.name }),
    }),
  },
  'user reset-password': {
    usage: 'user reset-password --email EMAIL',
    summary: 'Make a single-use link to choose a new password (works for one hour)',
    flags: ['email'],
    build: (v) => ({ command: 'user.reset-password', args: { email: required(v.email, 'email') } }),
  },
  listen: {
    usage: 'listen --forward-to URL [--key KEY] [--url API_URL] [--events contact.created,…] [--secret whsec_…]',
    summary: 'Forward the organization’s events, signed, to a local URL (for local webhook development)',
    flags: ['forward-to', 'key', 'url', 'events', 'secret'],
    listen: true,
  },
  'key revoke': {
    usage: 'key revoke KEY_ID',
    summary: 'Revoke a key: it stops working within a second',
    flags: [],
    positionals: ['KEY_ID'],
    build: (_v, [key]) => ({ command: 'key.revoke', args: { key } }),
  },
}

/** Reads a command line (argv without `node` and the script). Throws UsageError when it is wrong. */
export function parseCommand(argv: string[]): ParsedCommand {
  let values: Values
  let positionals: string[]
  try {
    ;({ values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }))
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  const two = positionals.slice(0, 2).join(' ')
  const name = COMMANDS[two] ? two : (positionals[0] ?? '')
  const spec = COMMANDS[name]
  if (!spec) {
    if (name === '' || name === 'help' || values.help) return { kind: 'help', text: usage() }
    throw new UsageError(`Unknown command "${positionals.join(' ')}"`)
  }
  if (values.help) return { kind: 'help', text: usage(spec) }
  const rest = positionals.slice(name.split(' ').length)
  const expected = spec.positionals ?? []
  if (rest.length !== expected.length) {
    throw new UsageError(
      rest.length > expected.length
        ? `Unexpected argument "${rest[expected.length]}"`
        : `Missing ${expected[rest.length]}`,
      { cause: spec },
    )
  }
  const allowed = new Set<string>([...spec.flags, ...(spec.role || spec.listen ? [] : ['json'])])
  const extra = Object.keys(values).find((flag) => !allowed.has(flag))
  if (extra) throw new UsageError(`"${name}" does not take --${extra}`, { cause: spec })
  if (spec.role) return { kind: 'server', role: spec.role }
  if (spec.listen) {
    const forwardTo = values['forward-to']
    if (forwardTo === undefined) throw new UsageError('Missing --forward-to', { cause: spec })
    if (!/^https?:\/\/[^/]/.test(forwardTo)) {
      throw new UsageError(`--forward-to must be an http(s) URL, got "${forwardTo}"`, { cause: spec })
    }
    const events = values.events
      ?.split(',')
      .map((e) => e.trim())
      .filter(Boolean)
    return {
      kind: 'listen',
      options: { forwardTo, ...defined({ key: values.key, apiUrl: values.url, events, secret: values.secret }) },
    }
  }
  try {
    return { kind: 'operation', request: spec.build!(values, rest), json: values.json === true }
  } catch (err) {
    throw err instanceof UsageError ? new UsageError(err.message, { cause: spec }) : err
  }
}

/** The whole usage, or one command's. */
export function usage(spec?: CommandSpec): string {
  if (spec) return `Usage: rapport ${spec.usage}${spec.role || spec.listen ? '' : ' [--json]'}\n\n${spec.summary}.\n`
  const width = Math.max(...Object.values(COMMANDS).map((c) => c.usage.split(' [')[0]!.length))
  const lines = Object.values(COMMANDS).map((c) => `  ${c.usage.split(' [')[0]!.padEnd(width)}  ${c.summary}`)
  return [
    'Usage: rapport <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Add --json to print one JSON object instead of text; --help after a command shows its options.',
    'Settings come from the environment (DATABASE_URL, RAPPORT_DATA_DIR, HOST, PORT…): see docs/cli.md.',
    '',
  ].join('\n')
}

/** One line saying how to call the command a UsageError is about. */
export function usageHint(err: UsageError): string {
  const spec = err.cause as CommandSpec | undefined
  return spec ? `usage: rapport ${spec.usage}` : 'run "rapport help" for the commands'
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined) throw new UsageError(`Missing --${flag}`)
  return value
}

function defined(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined))
}
