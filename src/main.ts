#!/usr/bin/env node
import { describeResult, type ErrorSummary, summarizeError } from './cli/output.js'
import { parseCommand, UsageError, usageHint } from './cli/parse-command.js'
import { loadConfig } from './config.js'
import { reachableHost } from './lib/public-url.js'
import { usePlanScopes } from './modules/api-keys/principal.js'

/**
 * The `rapport` command: the servers (`start`, `api`, `worker`) and the operator commands. The
 * only place that reads argv. Exit codes: 0 done, 1 the command failed, 2 the command line is wrong.
 */
async function main(argv: string[]): Promise<number | undefined> {
  const json = argv.includes('--json')
  let parsed: ReturnType<typeof parseCommand>
  try {
    parsed = parseCommand(argv)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    report({ code: 'usage', message: `${err.message} (${usageHint(err)})` }, json)
    return 2
  }
  if (parsed.kind === 'help') {
    process.stdout.write(parsed.text)
    return 0
  }
  try {
    const config = loadConfig(process.env)
    usePlanScopes(config.planScopes)
    if (parsed.kind === 'server') {
      // Loaded only here: operator commands do not need the HTTP stack.
      const { serve } = await import('./cli/serve.js')
      await serve(parsed.role, config)
      return undefined
    }
    if (parsed.kind === 'listen') {
      const { listen } = await import('./cli/listen.js')
      const key = parsed.options.key ?? process.env.RAPPORT_KEY
      if (!key) {
        report({ code: 'usage', message: 'rapport listen needs an API key: --key rk_… or RAPPORT_KEY' }, json)
        return 2
      }
      const apiUrl =
        parsed.options.apiUrl ??
        process.env.RAPPORT_URL ??
        config.publicUrl ??
        `http://${reachableHost(config.host)}:${config.port}`
      const stop = new AbortController()
      process.once('SIGINT', () => stop.abort())
      process.once('SIGTERM', () => stop.abort())
      await listen({
        ...parsed.options,
        key,
        apiUrl,
        out: (line) => process.stdout.write(`${line}\n`),
        signal: stop.signal,
      })
      return 0
    }
    const { dispatchOperation } = await import('./cli/dispatch.js')
    const result = await dispatchOperation(parsed.request, config)
    process.stdout.write(parsed.json ? `${JSON.stringify(result)}\n` : describeResult(parsed.request.command, result))
    return 0
  } catch (err) {
    report(summarizeError(err), json)
    return 1
  }
}

function report(error: ErrorSummary, json: boolean) {
  process.stderr.write(`rapport: ${error.message}\n`)
  if (json) process.stdout.write(`${JSON.stringify({ error })}\n`)
}

const exitCode = await main(process.argv.slice(2))
if (exitCode !== undefined) process.exitCode = exitCode
