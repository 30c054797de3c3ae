#!/usr/bin/env node
import type { ErrorSummary } from './cli/output.js'
import { parseCommand, UsageError, usageHint } from './cli/parse-command.js'

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
  // Imported after the command line is read: `rapport --help` loads nothing else (it answers in a
  // fraction of a second), and each command loads only what it needs.
  const { describeResult, summarizeError } = await import('./cli/output.js')
  try {
    const { loadConfig } = await import('./config.js')
    const config = loadConfig(process.env)
    const { usePlanScopes } = await import('./core/tenancy.js')
    usePlanScopes(config.planScopes)
    if (parsed.kind === 'server') {
      // Loaded only here: operator commands do not need the HTTP stack.
      const { serve } = await import('./cli/serve.js')
      await serve(parsed.role, config)
      return undefined
    }
    if (parsed.kind === 'listen') {
      const { listenFromCommandLine } = await import('./cli/listen.js')
      return await listenFromCommandLine(parsed.options, config, process.env)
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
