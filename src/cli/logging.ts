import type { Config } from '../config.js'
import { BANNER_FIELDS } from './banner.js'

/** Where a server's log lines go: the Fastify/pino logger options of `buildApp` and of the worker role. */
export interface LogSettings {
  level: string
  stream?: { write(line: string): void }
}

/**
 * Human-readable lines (pino-pretty: time, level, message, then the fields) when stdout is a
 * terminal, or when RAPPORT_LOG_FORMAT=pretty; one JSON object per line otherwise, for log
 * collectors. pino-pretty is loaded only when used.
 */
export async function logSettings(
  config: Pick<Config, 'logLevel' | 'logFormat'>,
  isTerminal = Boolean(process.stdout.isTTY),
): Promise<LogSettings> {
  const pretty = config.logFormat === 'pretty' || (config.logFormat === 'auto' && isTerminal)
  if (!pretty) return { level: config.logLevel }
  const { default: pinoPretty } = await import('pino-pretty')
  return {
    level: config.logLevel,
    stream: pinoPretty({
      colorize: isTerminal,
      sync: true,
      translateTime: 'SYS:HH:MM:ss.l',
      // The banner's facts are already the lines of its message.
      ignore: `pid,hostname,${BANNER_FIELDS.join(',')}`,
      // A request's fields stay on the line of its message.
      singleLine: true,
    }),
  }
}
