import { execFile, execFileSync } from 'node:child_process'

/**
 * Runs the examples of the reference documents as their readers would: curl command lines through
 * a real `curl` process, Python `requests` snippets through `python3`, JavaScript through `node`,
 * each against a server listening on loopback. Only what the reader is told to replace is swapped
 * (the host, the key, placeholder ids), with `swap`: the text of the example is otherwise run as
 * written.
 */

export type Swaps = Record<string, string>

/** Replaces every occurrence of each placeholder; fails if one the test expected is absent. */
export function swap(text: string, swaps: Swaps): string {
  let out = text
  for (const [from, to] of Object.entries(swaps)) {
    if (!out.includes(from)) throw new Error(`the example has no ${from} to replace`)
    out = out.split(from).join(to)
  }
  return out
}

/** Starts an app on a free loopback port; resolves to its base URL (`http://127.0.0.1:PORT`). */
export { listenOnLoopback } from '../browser/chromium.js'

/**
 * Splits a command line the way a POSIX shell does for the forms the documents use: words,
 * 'single-quoted' and "double-quoted" strings (backslash escapes inside double quotes), and a
 * backslash-newline continuation. Lines of a document without continuations are one command too.
 */
export function shellWords(command: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!
    if (c === '\\' && command[i + 1] === '\n') {
      i++
      continue
    }
    if (/\s/.test(c)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
      continue
    }
    inWord = true
    if (c === "'") {
      const end = command.indexOf("'", i + 1)
      if (end < 0) throw new Error('unterminated single quote')
      word += command.slice(i + 1, end)
      i = end
    } else if (c === '"') {
      i++
      while (i < command.length && command[i] !== '"') {
        if (command[i] === '\\' && /["\\$`]/.test(command[i + 1] ?? '')) i++
        word += command[i]
        i++
      }
      if (i >= command.length) throw new Error('unterminated double quote')
    } else if (c === '\\') {
      word += command[++i] ?? ''
    } else {
      word += c
    }
  }
  if (inWord) words.push(word)
  return words
}

export interface HttpResult {
  status: number
  headers: Record<string, string>
  body: string
  // biome-ignore lint/suspicious/noExplicitAny: tests read any JSON shape, as inject responses do
  json(): any
}

/**
 * Runs one curl command line of a document with a real curl. `--silent --show-error --include`
 * are added so that the status and headers can be read back; nothing else changes.
 */
export function runCurl(command: string, swaps: Swaps): Promise<HttpResult> {
  const [program, ...args] = shellWords(swap(command, swaps))
  if (program !== 'curl') throw new Error(`not a curl command: ${program}`)
  return new Promise((resolve, reject) => {
    execFile('curl', ['--silent', '--show-error', '--include', ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`curl failed: ${stderr || err.message}`))
      resolve(parseHttpResponse(stdout))
    })
  })
}

/** Reads curl's `--include` output (the last response, if curl printed an interim one). */
export function parseHttpResponse(raw: string): HttpResult {
  let rest = raw
  let head = ''
  for (;;) {
    const end = rest.indexOf('\r\n\r\n')
    head = end < 0 ? rest : rest.slice(0, end)
    rest = end < 0 ? '' : rest.slice(end + 4)
    if (!/^HTTP\/[\d.]+ 1\d\d/.test(head)) break
  }
  const [statusLine = '', ...lines] = head.split('\r\n')
  const status = Number(statusLine.split(' ')[1])
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { status, headers, body: rest, json: () => JSON.parse(rest) }
}

export interface ProcessResult {
  exitCode: number
  stdout: string
  stderr: string
}

function run(program: string, args: string[], input?: string): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = execFile(program, args, { timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 0
      resolve({ exitCode: err ? code || 1 : 0, stdout, stderr })
    })
    if (input !== undefined) child.stdin?.end(input)
  })
}

let hasRequests: boolean | undefined
/** Whether `python3` with the `requests` package is installed (the Python examples need both). */
export function pythonRequestsAvailable(): boolean {
  if (hasRequests === undefined) {
    try {
      execFileSync('python3', ['-c', 'import requests'], { stdio: 'ignore', timeout: 10_000 })
      hasRequests = true
    } catch {
      hasRequests = false
    }
  }
  return hasRequests
}

/**
 * Runs a Python example with `python3`, followed by `epilogue` (the test's own lines, e.g. printing
 * `response.status_code` and `json.dumps(data)` for the test to read).
 */
export function runPython(code: string, swaps: Swaps, epilogue = ''): Promise<ProcessResult> {
  return run('python3', ['-'], `${swap(code, swaps)}\n${epilogue}\n`)
}

/**
 * Runs a JavaScript example with `node`: as an ES module (top-level `await`, `fetch`) unless
 * `commonjs` (for examples using `require`). `epilogue` is the test's own code appended after it.
 */
export function runNode(
  code: string,
  swaps: Swaps,
  epilogue = '',
  kind: 'module' | 'commonjs' = 'module',
): Promise<ProcessResult> {
  return run(process.execPath, [`--input-type=${kind}`, '-'], `${swap(code, swaps)}\n${epilogue}\n`)
}
