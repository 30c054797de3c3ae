import { once } from 'node:events'
import { createWriteStream } from 'node:fs'

/**
 * Writes a CSV file of `rows` lines after `header`, streamed (a million rows never sit in memory):
 * `line(i)` gives row i without its newline. Resolves to the bytes written.
 */
export async function writeCsvFile(file: string, header: string, rows: number, line: (i: number) => string) {
  const out = createWriteStream(file)
  out.write(`${header}\n`)
  for (let i = 0; i < rows; i++) {
    if (!out.write(`${line(i)}\n`)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
  return out.bytesWritten
}
