import { isIP } from 'node:net'
import path from 'node:path'
import { DEFAULT_PLAN_SCOPES, PLANS, type Plan, SCOPES, type Scope } from './core/tenancy.js'
import type { DatabaseTarget } from './db/database.js'

/** A plan's request budgets per API key: per sliding minute and per sliding hour; null: no such window. */
export interface PlanRateLimits {
  perMinute: number | null
  perHour: number | null
}

/** The budgets of public (keyless) routes: reads are GET, HEAD and OPTIONS; writes are the other methods. */
export type PublicRateClass = 'read' | 'write'
export const PUBLIC_RATE_CLASSES: readonly PublicRateClass[] = ['read', 'write']

/**
 * Fastify's `trustProxy` as we set it: off, every hop, the proxies' addresses/CIDRs, or a hop count
 * (as a function of the hop: Fastify's types have no number form).
 */
export type TrustProxy = boolean | string[] | ((address: string, hop: number) => boolean)

/** Every setting Rapport reads from the environment. `docs/configuration.md` documents each one. */
export interface Config {
  /** HOST: interface to listen on. Default 127.0.0.1. */
  host: string
  /** PORT: TCP port. Default 3000. */
  port: number
  /** RAPPORT_PUBLIC_URL: the origin people use to reach this installation (links in invites, sign-in and reset links). Unset: the listen address. */
  publicUrl: string | undefined
  /** DATABASE_URL: PostgreSQL connection string. Unset: embedded PGlite under `dataDir`. */
  databaseUrl: string | undefined
  /** RAPPORT_DB_PREPARED_STATEMENTS=off: send every statement unnamed (for poolers that cannot keep named statements). Default on. */
  dbPreparedStatements: boolean
  /** RAPPORT_DB_POOL_SIZE: connections in each PostgreSQL pool (the API's; the worker thread's of `rapport start`). Default 10, at least 1. Ignored on the embedded database; CLI commands use 1. */
  dbPoolSize: number
  /**
   * RAPPORT_WORKER_THREAD=off: `rapport start` runs the background worker on the API's own event
   * loop and pool. Default on with DATABASE_URL (the worker gets a thread and connections of its
   * own); the embedded database always runs it in-process.
   */
  workerThread: boolean
  /** RAPPORT_DATA_DIR: where the embedded database and generated files live. Default ./.rapport. */
  dataDir: string
  /** REDIS_URL: Redis for rate-limit counters shared by every API process. Unset: in-memory counters. */
  redisUrl: string | undefined
  /** RAPPORT_ADMIN_TOKEN: enables the operator provisioning API (/admin/v1). Unset: those routes are 404. */
  adminToken: string | undefined
  /** RAPPORT_RATE_LIMITS: requests per minute and per hour per key, by plan. Defaults in DEFAULT_RATE_LIMITS. */
  rateLimits: Record<Plan, PlanRateLimits>
  /** RAPPORT_PLAN_SCOPES: the scopes each plan grants. Defaults in DEFAULT_PLAN_SCOPES. */
  planScopes: Record<Plan, readonly Scope[]>
  /** RAPPORT_PUBLIC_RATE_LIMITS: requests per minute per client IP on public routes, by class. Default read=120,write=10. */
  publicRateLimits: Record<PublicRateClass, number>
  /** RAPPORT_AUTH_FAILURE_LIMIT: failed authentications (unknown key, ended session) per minute from one client address before its requests get 429. Default 30. */
  authFailureLimit: number
  /** RAPPORT_TRUST_PROXY: which proxies may set X-Forwarded-For (Fastify's `trustProxy`). Default off. */
  trustProxy: TrustProxy
  /** RAPPORT_KEY_CACHE_MS: how long a verified API key is trusted before it is read again. Default 500 (revocation takes effect within 1 s everywhere). */
  keyCacheMs: number
  /** RAPPORT_FORM_MIN_FILL_MS: a public form submitted sooner than this after its token was issued is taken for a bot. Default 3000. */
  formMinFillMs: number
  /** LOG_LEVEL: pino level. Default info. */
  logLevel: string
  /** RAPPORT_LOG_FORMAT: `pretty` (human-readable lines), `json` (one object per line) or `auto` (pretty when stdout is a terminal). Default auto. */
  logFormat: 'auto' | 'pretty' | 'json'
  /** RAPPORT_REQUEST_TIMEOUT_MS: a request whose headers and body have not all arrived by then gets 408 and its connection is closed. Default 30000. */
  requestTimeoutMs: number
  /** RAPPORT_HEADERS_TIMEOUT_MS: the same for the request line and headers alone (at most the request timeout). Default 10000. */
  headersTimeoutMs: number
  accounts: {
    /** RAPPORT_ALLOW_SIGNUP=1: anyone may create an organization at /app. Default off: only the first one, on an empty installation. */
    signupEnabled: boolean
    /** RAPPORT_SESSION_TTL_HOURS: how long a dashboard sign-in lasts. Default 168 (7 days). */
    sessionTtlHours: number
    /** RAPPORT_INVITE_TTL_HOURS: how long an invite link works. Default 72. */
    inviteTtlHours: number
    /** RAPPORT_LOGIN_RATE_LIMITS: per 15 minutes, sign-in attempts per client address (`ip`) and per account from one address (`account_ip`), and failures per account from all addresses (`account`) beyond which an address that fails is blocked for that account. Default ip=50,account_ip=10,account=20. */
    loginLimits: Record<LoginRateClass, number>
  }
  /** RAPPORT_AUDIT_LOG=off: record no API calls in the audit log. Default on. */
  auditLog: boolean
  /** RAPPORT_AUDIT_RETENTION_DAYS: keep audit-log rows this long. Default 90. */
  auditRetentionDays: number
  /** RAPPORT_EVENTS_RETENTION_DAYS: keep events this long, and longer while a delivery of theirs is kept. Default 30 (or the webhook retention if longer); at least 1 and the webhook retention. */
  eventsRetentionDays: number
  /** RAPPORT_MASTER_KEY: base64 of 32 bytes that encrypt webhook secrets at rest. Unset: generated once into `dataDir/master.key`. Set it (the same everywhere) when several machines share one database. */
  masterKey: string | undefined
  webhooks: {
    /** RAPPORT_WEBHOOK_ALLOW_PRIVATE=1: allow http and private/loopback addresses (development and tests only). Default off. */
    allowPrivate: boolean
    /** RAPPORT_WEBHOOK_TIMEOUT_MS: how long one attempt may take. Default 15000. */
    timeoutMs: number
    /** RAPPORT_WEBHOOK_RETRY_SCHEDULE: seconds between attempts, comma-separated. Default 60,300,1800,7200,86400 (5 retries). */
    retryScheduleSec: number[]
    /** RAPPORT_WEBHOOK_DISABLE_AFTER_DAYS: disable an endpoint that has failed without a success for this long. Default 5. */
    disableAfterDays: number
    /** RAPPORT_WEBHOOK_RETENTION_DAYS: keep deliveries and attempts this long. Default 30. */
    retentionDays: number
  }
  email: {
    /** RAPPORT_SMTP_URL: send through this SMTP server (`smtp://user:pass@host:587`, `smtps://…`), pooled. Unset: every message is kept in the development mailbox. */
    smtpUrl: string | undefined
    /** RAPPORT_EMAIL_RETRY_SCHEDULE: seconds between attempts after a temporary SMTP failure. Default 60,300,1800,7200,21600. */
    retryScheduleSec: number[]
    /** RAPPORT_EMAIL_FROM: the from-address of Rapport's own messages for organizations without a default sender. Default `Rapport <no-reply@rapport.localhost>`. */
    from: { email: string; name: string | null }
    /** RAPPORT_CAMPAIGN_RATE: campaign messages queued per second, all organizations together. Default 200. */
    campaignRatePerSec: number
    /** RAPPORT_CAMPAIGN_ORG_RATE: campaign messages queued per second for one organization. Default 100. */
    campaignOrgRatePerSec: number
    /** RAPPORT_GEOIP_DB: a MaxMind .mmdb (City or Country) giving opens and clicks a country and region. Unset: null. */
    geoipDb: string | undefined
  }
  /** The DNS records sending domains are told to publish and checked for (docs/deliverability.md). */
  sendingDomains: {
    /** RAPPORT_SPF_INCLUDE: the SPF mechanisms that allow the SMTP relay (`include:_spf.relay.example`, `ip4:…`). Unset: unknown. */
    spfInclude: string[] | undefined
    /** RAPPORT_DMARC_RUA: where the suggested DMARC record sends aggregate reports. Default `mailto:dmarc-reports@<domain>`. */
    dmarcRua: string | undefined
  }
  /** Bounces, suppression and the reputation breaker (docs/deliverability.md). */
  deliverability: {
    /** RAPPORT_SOFT_BOUNCE_THRESHOLD of the last RAPPORT_SOFT_BOUNCE_WINDOW sends to an address bouncing softly suppress it. Default 3 of 5. */
    softBounces: { threshold: number; window: number }
    breaker: {
      /** RAPPORT_BREAKER_HARD_BOUNCE_RATE: a fraction (0.05 = 5%) of a campaign's recent sends hard-bouncing that pauses it. Default 0.05. */
      hardBounceRate: number
      /** RAPPORT_BREAKER_COMPLAINT_RATE: the same for complaints. Default 0.001 (0.1%). */
      complaintRate: number
      /** RAPPORT_BREAKER_MIN_SAMPLE: finished sends needed before the breaker judges. Default 100. */
      minSample: number
      /** RAPPORT_BREAKER_WINDOW: how many of the campaign's last sends are measured. Default 1000. */
      window: number
    }
    /** RAPPORT_SMTP_INBOUND and its companions: the inbound SMTP listener for DSNs and feedback reports. Unset: off. */
    inbound: SmtpInbound | undefined
  }
}

/** The inbound SMTP listener (docs/deliverability.md). */
export interface SmtpInbound {
  /** RAPPORT_SMTP_INBOUND: `host:port` it listens on (`0.0.0.0:25`, `[::]:25`). */
  host: string
  port: number
  /** RAPPORT_SMTP_INBOUND_DOMAIN: the domain of the return paths (`bounces+…@domain`), whose MX points here. Default: the host of RAPPORT_PUBLIC_URL. */
  domain: string
  /** RAPPORT_SMTP_INBOUND_MAX_BYTES: the largest message accepted. Default 10485760 (10 MiB). */
  maxBytes: number
}

export function parseRetrySchedule(
  value: string | undefined,
  setting = 'RAPPORT_WEBHOOK_RETRY_SCHEDULE',
  fallback = [60, 300, 1800, 7200, 86400],
): number[] {
  if (!value) return fallback
  const steps = value.split(',').map((s) => Number(s.trim()))
  if (steps.some((n) => !Number.isFinite(n) || n < 0)) {
    throw new ConfigError(`${setting}: "${value}" is not a comma-separated list of seconds`)
  }
  return steps
}

export class ConfigError extends Error {}

/** The two timeouts that keep slow clients (slowloris) from holding connections open. */
function requestTimeouts(env: NodeJS.ProcessEnv): { requestTimeoutMs: number; headersTimeoutMs: number } {
  const requestTimeoutMs = intSetting(env, 'RAPPORT_REQUEST_TIMEOUT_MS', 30_000)
  const headersTimeoutMs = intSetting(env, 'RAPPORT_HEADERS_TIMEOUT_MS', Math.min(10_000, requestTimeoutMs))
  if (requestTimeoutMs < 1 || headersTimeoutMs < 1 || headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError(
      'RAPPORT_REQUEST_TIMEOUT_MS and RAPPORT_HEADERS_TIMEOUT_MS must be positive, the headers timeout at most the request timeout',
    )
  }
  return { requestTimeoutMs, headersTimeoutMs }
}

export type LoginRateClass = 'ip' | 'account_ip' | 'account'
export const DEFAULT_LOGIN_LIMITS: Record<LoginRateClass, number> = { ip: 50, account_ip: 10, account: 20 }

export function parseLoginLimits(value: string | undefined): Record<LoginRateClass, number> {
  return parsePerMinute(
    'RAPPORT_LOGIN_RATE_LIMITS',
    ['class', 'classes'],
    ['ip', 'account_ip', 'account'],
    DEFAULT_LOGIN_LIMITS,
    value,
  )
}

export const DEFAULT_RATE_LIMITS: Record<Plan, PlanRateLimits> = {
  free: { perMinute: 10, perHour: 100 },
  pro: { perMinute: 200, perHour: 1_000 },
  teams: { perMinute: 300, perHour: 10_000 },
  enterprise: { perMinute: null, perHour: 10_000 },
}

const RATE_UNITS: Record<string, keyof PlanRateLimits> = {
  min: 'perMinute',
  minute: 'perMinute',
  h: 'perHour',
  hour: 'perHour',
}

/**
 * RAPPORT_RATE_LIMITS: comma-separated `plan=budget` entries over the defaults, each budget one or
 * more `count[/unit]` joined by `+`, the unit `min` (the default, so `free=60` is per minute) or `h`;
 * `off` as the count removes that window. `free=20/min+500/h,enterprise=1000/min`. Windows and plans
 * left out keep their defaults; a plan must keep at least one window.
 */
export function parseRateLimits(value: string | undefined): Record<Plan, PlanRateLimits> {
  const limits = Object.fromEntries(PLANS.map((p) => [p, { ...DEFAULT_RATE_LIMITS[p] }])) as Record<
    Plan,
    PlanRateLimits
  >
  if (!value) return limits
  const bad = (part: string) =>
    new ConfigError(
      `RAPPORT_RATE_LIMITS: "${part}" is not plan=count[/min|/h][+count/h] (plans: ${PLANS.join(', ')}; e.g. free=10/min+100/h)`,
    )
  for (const part of value.split(',')) {
    const [name = '', budget = '', ...rest] = part.split('=').map((s) => s.trim())
    if (!PLANS.includes(name as Plan) || !budget || rest.length > 0) throw bad(part)
    const plan = limits[name as Plan]
    for (const window of budget.split('+')) {
      const [count = '', unit = 'min', ...more] = window.split('/').map((s) => s.trim())
      const field = RATE_UNITS[unit]
      const n = Number(count)
      if (!field || more.length > 0 || (count !== 'off' && (!/^\d+$/.test(count) || n < 1))) throw bad(part)
      plan[field] = count === 'off' ? null : n
    }
    if (plan.perMinute === null && plan.perHour === null) {
      throw new ConfigError(`RAPPORT_RATE_LIMITS: "${part}" leaves the ${name} plan without any limit`)
    }
  }
  return limits
}

/**
 * RAPPORT_PLAN_SCOPES: comma-separated `plan=scope+scope+…` entries over the defaults, as
 * RAPPORT_RATE_LIMITS joins windows, e.g. `free=read+leads+keys+webhooks,pro=read+write+leads+keys+webhooks`.
 * Plans left out keep theirs.
 */
export function parsePlanScopes(value: string | undefined): Record<Plan, readonly Scope[]> {
  const table = { ...DEFAULT_PLAN_SCOPES }
  if (!value) return table
  for (const part of value.split(',')) {
    const [name = '', list = '', ...rest] = part.split('=').map((s) => s.trim())
    const scopes = list.split('+').map((s) => s.trim())
    const unknown = scopes.filter((s) => !SCOPES.includes(s as Scope))
    if (!PLANS.includes(name as Plan) || !list || rest.length > 0 || unknown.length > 0) {
      throw new ConfigError(
        `RAPPORT_PLAN_SCOPES: "${part.trim()}" is not plan=scope+scope+… (plans: ${PLANS.join(', ')}; scopes: ${SCOPES.join(', ')})`,
      )
    }
    table[name as Plan] = SCOPES.filter((s) => scopes.includes(s))
  }
  return table
}

export const DEFAULT_PUBLIC_RATE_LIMITS: Record<PublicRateClass, number> = { read: 120, write: 10 }

export function parsePublicRateLimits(value: string | undefined): Record<PublicRateClass, number> {
  return parsePerMinute(
    'RAPPORT_PUBLIC_RATE_LIMITS',
    ['class', 'classes'],
    PUBLIC_RATE_CLASSES,
    DEFAULT_PUBLIC_RATE_LIMITS,
    value,
  )
}

/** Comma-separated `name=count` pairs (at least 1 each) over the defaults; names left out keep theirs. */
function parsePerMinute<K extends string>(
  setting: string,
  [noun, plural]: [string, string],
  names: readonly K[],
  defaults: Record<K, number>,
  value: string | undefined,
): Record<K, number> {
  const limits = { ...defaults }
  if (!value) return limits
  for (const part of value.split(',')) {
    const [name, perMinute] = part.split('=').map((s) => s.trim())
    const n = Number(perMinute)
    if (!name || !names.includes(name as K) || !Number.isInteger(n) || n < 1) {
      throw new ConfigError(`${setting}: "${part}" is not ${noun}=requests (${plural}: ${names.join(', ')})`)
    }
    limits[name as K] = n
  }
  return limits
}

/** Names proxy-addr (Fastify's `trustProxy`) accepts for well-known ranges. */
const TRUST_PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal']

/**
 * RAPPORT_TRUST_PROXY: unset, `false` or `0`: off (`req.ip` is the peer address). `true`: every hop
 * (the left-most X-Forwarded-For address: only behind a proxy that overwrites the header). A whole
 * number: that many proxy hops. Otherwise a comma-separated list of proxy addresses, CIDRs, or the
 * names loopback, linklocal and uniquelocal.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const raw = value?.trim()
  if (!raw || raw === 'false' || raw === '0') return false
  if (raw === 'true') return true
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw)
    return (_address, hop) => hop < hops
  }
  const entries = raw.split(',').map((s) => s.trim())
  for (const entry of entries) {
    if (!isProxyAddress(entry)) {
      throw new ConfigError(
        `RAPPORT_TRUST_PROXY: "${entry}" is not an IP address, a CIDR (10.0.0.0/8) or one of ${TRUST_PROXY_RANGES.join(', ')}; the whole value must be true, false, a hop count or a comma-separated list of those`,
      )
    }
  }
  return entries
}

function isProxyAddress(entry: string): boolean {
  if (TRUST_PROXY_RANGES.includes(entry)) return true
  const [address = '', prefix, ...rest] = entry.split('/')
  const family = isIP(address)
  if (!family || rest.length > 0) return false
  if (prefix === undefined) return true
  const bits = Number(prefix)
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128)
}

function parseLogFormat(value: string | undefined): Config['logFormat'] {
  const format = value?.trim() || 'auto'
  if (format === 'auto' || format === 'pretty' || format === 'json') return format
  throw new ConfigError(`RAPPORT_LOG_FORMAT: "${value}" is not auto, pretty or json`)
}

/** RAPPORT_PUBLIC_URL: an http(s) origin with an optional path prefix; stored without a trailing slash. */
export function parsePublicUrl(value: string | undefined): string | undefined {
  const raw = value?.trim()
  if (!raw) return undefined
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError(`RAPPORT_PUBLIC_URL: "${raw}" is not a URL (example: https://crm.example.com)`)
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash || url.username) {
    throw new ConfigError(
      `RAPPORT_PUBLIC_URL: "${raw}" must be an http or https URL without query, fragment or credentials`,
    )
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '')
}

/** RAPPORT_SMTP_URL: an smtp: or smtps: URL (nodemailer's connection URL, query options allowed). */
export function parseSmtpUrl(value: string | undefined): string | undefined {
  const raw = value?.trim()
  if (!raw) return undefined
  if (!/^smtps?:\/\/[^/]/i.test(raw) || !URL.canParse(raw)) {
    throw new ConfigError(
      'RAPPORT_SMTP_URL is not an smtp:// or smtps:// URL (example: smtp://user:pass@mail.example.com:587)',
    )
  }
  return raw
}

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/

/**
 * RAPPORT_SMTP_INBOUND (`host:port`, an IPv6 host in brackets), RAPPORT_SMTP_INBOUND_DOMAIN (a
 * domain name; default the host of RAPPORT_PUBLIC_URL) and RAPPORT_SMTP_INBOUND_MAX_BYTES.
 */
export function parseSmtpInbound(env: NodeJS.ProcessEnv): SmtpInbound | undefined {
  const raw = env.RAPPORT_SMTP_INBOUND?.trim()
  if (!raw) return undefined
  const match = /^(?:\[([^\]]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(raw)
  const port = Number(match?.[3])
  if (!match || port > 65535 || (match[1] !== undefined && isIP(match[1]) !== 6)) {
    throw new ConfigError(
      `RAPPORT_SMTP_INBOUND: "${raw}" is not host:port (examples: 0.0.0.0:25, [::]:25, 127.0.0.1:2525)`,
    )
  }
  const publicUrl = parsePublicUrl(env.RAPPORT_PUBLIC_URL)
  const configured = env.RAPPORT_SMTP_INBOUND_DOMAIN?.trim().toLowerCase()
  const domain = configured || (publicUrl ? new URL(publicUrl).hostname.toLowerCase() : '')
  if (!domain) {
    throw new ConfigError(
      'RAPPORT_SMTP_INBOUND needs RAPPORT_SMTP_INBOUND_DOMAIN (or RAPPORT_PUBLIC_URL): the domain of the return paths, whose MX record points to this listener',
    )
  }
  if (!HOSTNAME.test(domain) || isIP(domain)) {
    throw new ConfigError(
      `${configured ? 'RAPPORT_SMTP_INBOUND_DOMAIN' : 'RAPPORT_SMTP_INBOUND_DOMAIN (from the host of RAPPORT_PUBLIC_URL)'}: "${domain}" is not a domain name (example: bounces.example.com)`,
    )
  }
  const maxBytes = intSetting(env, 'RAPPORT_SMTP_INBOUND_MAX_BYTES', 10 * 1024 * 1024)
  if (maxBytes < 1024) throw new ConfigError(`RAPPORT_SMTP_INBOUND_MAX_BYTES must be at least 1024, got "${maxBytes}"`)
  return { host: match[1] ?? match[2]!, port, domain, maxBytes }
}

/**
 * RAPPORT_SPF_INCLUDE: SPF mechanisms separated by spaces or commas (`include:`, `ip4:`, `ip6:`,
 * `a:`, `mx:`); a bare domain means `include:` it.
 */
export function parseSpfInclude(value: string | undefined): string[] | undefined {
  const terms = (value ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((term) => (term.includes(':') ? term : `include:${term}`))
  if (terms.length === 0) return undefined
  return terms.map((term) => {
    const match = /^(include|a|mx|ip4|ip6):(\S+)$/i.exec(term)
    if (!match) {
      throw new ConfigError(
        `RAPPORT_SPF_INCLUDE: "${term}" is not an SPF mechanism (examples: include:_spf.relay.example, ip4:203.0.113.7)`,
      )
    }
    return `${match[1]!.toLowerCase()}:${match[2]}`
  })
}

/** RAPPORT_DMARC_RUA: a `mailto:` URI, or a bare address (made one). */
export function parseDmarcRua(value: string | undefined): string | undefined {
  const raw = value?.trim()
  if (!raw) return undefined
  const uri = /^mailto:/i.test(raw) ? raw : `mailto:${raw}`
  if (!/^mailto:[^@\s;,]+@[^@\s;,]+$/i.test(uri)) {
    throw new ConfigError(
      `RAPPORT_DMARC_RUA: "${raw}" is not an address or a mailto: URI (example: mailto:dmarc@example.com)`,
    )
  }
  return uri
}

/** RAPPORT_EMAIL_FROM: `address` or `Name <address>`. */
export function parseFromAddress(value: string | undefined): { email: string; name: string | null } {
  const raw = value?.trim() || 'Rapport <no-reply@rapport.localhost>'
  const match = /^(?:"?([^"<>]*?)"?\s*<([^<>\s]+@[^<>\s]+)>|([^<>\s"]+@[^<>\s"]+))$/.exec(raw)
  if (!match) throw new ConfigError(`RAPPORT_EMAIL_FROM: "${raw}" is not an address or Name <address>`)
  return match[3] ? { email: match[3], name: null } : { email: match[2]!, name: match[1]?.trim() || null }
}

function fractionSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new ConfigError(`${name} must be a fraction from 0 to 1, got "${raw}"`)
  return n
}

function intSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a non-negative integer, got "${raw}"`)
  return n
}

/** An integer setting that refuses values under `min`, saying `why` when the minimum needs a reason. */
function intSettingAtLeast(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, why = ''): number {
  const n = intSetting(env, name, fallback)
  if (n < min) throw new ConfigError(`${name} must be an integer of at least ${min}${why}, got "${env[name]}"`)
  return n
}

/**
 * RAPPORT_EVENTS_RETENTION_DAYS: at least 1 and at least RAPPORT_WEBHOOK_RETENTION_DAYS, since a kept
 * delivery keeps its event (the purge skips it): a shorter retention would leave the purge reading
 * the same delivered events every round. Unset: 30, or the webhook retention when that is longer.
 */
function eventsRetentionDays(env: NodeJS.ProcessEnv): number {
  const webhookDays = intSetting(env, 'RAPPORT_WEBHOOK_RETENTION_DAYS', 30)
  const min = Math.max(1, webhookDays)
  const why = webhookDays > 1 ? ' (RAPPORT_WEBHOOK_RETENTION_DAYS: a kept delivery keeps its event)' : ''
  return intSettingAtLeast(env, 'RAPPORT_EVENTS_RETENTION_DAYS', Math.max(30, webhookDays), min, why)
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    host: env.HOST || '127.0.0.1',
    port: intSetting(env, 'PORT', 3000),
    publicUrl: parsePublicUrl(env.RAPPORT_PUBLIC_URL),
    databaseUrl: env.DATABASE_URL || undefined,
    dbPreparedStatements: !['off', '0', 'false'].includes(env.RAPPORT_DB_PREPARED_STATEMENTS ?? ''),
    dbPoolSize: intSettingAtLeast(env, 'RAPPORT_DB_POOL_SIZE', 10, 1),
    workerThread: !['off', '0', 'false'].includes(env.RAPPORT_WORKER_THREAD ?? ''),
    dataDir: path.resolve(env.RAPPORT_DATA_DIR || '.rapport'),
    redisUrl: env.REDIS_URL || undefined,
    adminToken: env.RAPPORT_ADMIN_TOKEN || undefined,
    rateLimits: parseRateLimits(env.RAPPORT_RATE_LIMITS),
    planScopes: parsePlanScopes(env.RAPPORT_PLAN_SCOPES),
    publicRateLimits: parsePublicRateLimits(env.RAPPORT_PUBLIC_RATE_LIMITS),
    authFailureLimit: Math.max(1, intSetting(env, 'RAPPORT_AUTH_FAILURE_LIMIT', 30)),
    trustProxy: parseTrustProxy(env.RAPPORT_TRUST_PROXY),
    keyCacheMs: intSetting(env, 'RAPPORT_KEY_CACHE_MS', 500),
    formMinFillMs: intSetting(env, 'RAPPORT_FORM_MIN_FILL_MS', 3000),
    logLevel: env.LOG_LEVEL || 'info',
    logFormat: parseLogFormat(env.RAPPORT_LOG_FORMAT),
    ...requestTimeouts(env),
    accounts: {
      signupEnabled: env.RAPPORT_ALLOW_SIGNUP === '1' || env.RAPPORT_ALLOW_SIGNUP === 'true',
      sessionTtlHours: intSetting(env, 'RAPPORT_SESSION_TTL_HOURS', 168),
      inviteTtlHours: intSetting(env, 'RAPPORT_INVITE_TTL_HOURS', 72),
      loginLimits: parseLoginLimits(env.RAPPORT_LOGIN_RATE_LIMITS),
    },
    auditLog: !['off', '0', 'false'].includes(env.RAPPORT_AUDIT_LOG ?? ''),
    auditRetentionDays: intSetting(env, 'RAPPORT_AUDIT_RETENTION_DAYS', 90),
    eventsRetentionDays: eventsRetentionDays(env),
    masterKey: env.RAPPORT_MASTER_KEY || undefined,
    webhooks: {
      allowPrivate: env.RAPPORT_WEBHOOK_ALLOW_PRIVATE === '1' || env.RAPPORT_WEBHOOK_ALLOW_PRIVATE === 'true',
      timeoutMs: intSetting(env, 'RAPPORT_WEBHOOK_TIMEOUT_MS', 15_000),
      retryScheduleSec: parseRetrySchedule(env.RAPPORT_WEBHOOK_RETRY_SCHEDULE),
      disableAfterDays: intSetting(env, 'RAPPORT_WEBHOOK_DISABLE_AFTER_DAYS', 5),
      retentionDays: intSetting(env, 'RAPPORT_WEBHOOK_RETENTION_DAYS', 30),
    },
    email: {
      smtpUrl: parseSmtpUrl(env.RAPPORT_SMTP_URL),
      retryScheduleSec: parseRetrySchedule(
        env.RAPPORT_EMAIL_RETRY_SCHEDULE,
        'RAPPORT_EMAIL_RETRY_SCHEDULE',
        [60, 300, 1800, 7200, 21600],
      ),
      from: parseFromAddress(env.RAPPORT_EMAIL_FROM),
      campaignRatePerSec: intSetting(env, 'RAPPORT_CAMPAIGN_RATE', 200),
      campaignOrgRatePerSec: intSetting(env, 'RAPPORT_CAMPAIGN_ORG_RATE', 100),
      geoipDb: env.RAPPORT_GEOIP_DB?.trim() ? path.resolve(env.RAPPORT_GEOIP_DB.trim()) : undefined,
    },
    sendingDomains: {
      spfInclude: parseSpfInclude(env.RAPPORT_SPF_INCLUDE),
      dmarcRua: parseDmarcRua(env.RAPPORT_DMARC_RUA),
    },
    deliverability: {
      softBounces: {
        threshold: Math.max(1, intSetting(env, 'RAPPORT_SOFT_BOUNCE_THRESHOLD', 3)),
        window: Math.max(1, intSetting(env, 'RAPPORT_SOFT_BOUNCE_WINDOW', 5)),
      },
      breaker: {
        hardBounceRate: fractionSetting(env, 'RAPPORT_BREAKER_HARD_BOUNCE_RATE', 0.05),
        complaintRate: fractionSetting(env, 'RAPPORT_BREAKER_COMPLAINT_RATE', 0.001),
        minSample: Math.max(1, intSetting(env, 'RAPPORT_BREAKER_MIN_SAMPLE', 100)),
        window: Math.max(1, intSetting(env, 'RAPPORT_BREAKER_WINDOW', 1000)),
      },
      inbound: parseSmtpInbound(env),
    },
  }
}

/** Where the configuration says the database is: PostgreSQL at DATABASE_URL, else PGlite in the data dir. */
export function databaseTargetOf(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'dbPreparedStatements' | 'dbPoolSize'>,
): DatabaseTarget {
  return config.databaseUrl
    ? { url: config.databaseUrl, preparedStatements: config.dbPreparedStatements, poolSize: config.dbPoolSize }
    : { dataDir: config.dataDir }
}
