import Papa from 'papaparse'
import { useEffect, useState } from 'preact/hooks'
import type { ErrorBody } from '../../api.js'
import { ApiFailure, api, currentMode } from '../../api.js'
import { useSession } from '../../session.js'
import { ErrorNote, Field, Page, useSubmit } from '../../ui.js'
import { MatchChoice } from './import-match.js'
import './workspace-b.css'

/** The contact fields a column can feed (docs/import-and-search.md); anything else becomes a custom field. */
const FIELDS = ['name', 'email', 'phone', 'company', 'status', 'source', 'tags', 'external_id'] as const
const IGNORE = ''
const CUSTOM = 'custom'

interface Job {
  id: string
  status: 'queued' | 'running' | 'completed' | 'failed'
  rows_total: number | null
  rows_read: number
  created: number
  updated: number
  failed: number
  error: string | null
}

/** Headers compare without regard to case, spaces, dashes or underscores, as the API matches them. */
const normalize = (header: string) => header.toLowerCase().replace(/[\s_-]+/g, '')
const ALIASES: Record<string, string> = {
  emailaddress: 'email',
  mail: 'email',
  fullname: 'name',
  mobile: 'phone',
  telephone: 'phone',
  organization: 'company',
  externalid: 'external_id',
  id: 'external_id',
}

/** The field a header most likely holds: a known field by its name (or a common alias), else a custom field. */
export function suggestField(header: string): string {
  const key = normalize(header)
  const known = FIELDS.find((f) => normalize(f) === key) ?? ALIASES[key]
  return known ?? CUSTOM
}

/** A custom field's key from a header: lower-case words joined by underscores. */
const customKey = (header: string) =>
  header
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '') || 'field'

export function ImportPage() {
  const { session } = useSession()
  const [file, setFile] = useState<File | null>(null)
  const [headers, setHeaders] = useState<string[]>([])
  const [rows, setRows] = useState<string[][]>([])
  const [mapping, setMapping] = useState<Record<string, string>>({})
  const [parseError, setParseError] = useState('')
  const [job, setJob] = useState<Job | null>(null)

  const choose = (chosen: File | undefined) => {
    setFile(chosen ?? null)
    setJob(null)
    setParseError('')
    setHeaders([])
    setRows([])
    if (!chosen) return
    // Only the first rows are read in the browser: the whole file goes to the server as it is.
    Papa.parse<string[]>(chosen, {
      preview: 6,
      skipEmptyLines: true,
      complete: (result) => {
        const [head = [], ...body] = result.data
        if (head.length === 0) {
          setParseError('The file has no header row.')
          return
        }
        setHeaders(head)
        setRows(body)
        setMapping(Object.fromEntries(head.map((h) => [h, suggestField(h)])))
      },
      error: (err) => setParseError(err.message),
    })
  }

  const start = useSubmit(async () => {
    if (!file) return
    const body = new FormData()
    // The mapping part comes first: the server reads it before streaming the file.
    body.append(
      'mapping',
      JSON.stringify(
        Object.fromEntries(
          headers.map((h) => {
            const target = mapping[h] ?? IGNORE
            return [h, target === IGNORE ? null : target === CUSTOM ? `custom_fields.${customKey(h)}` : target]
          }),
        ),
      ),
    )
    body.append('file', file, file.name)
    const res = await fetch('/api/v1/imports', {
      method: 'POST',
      body,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        'x-csrf-token': session.csrf_token,
        ...(currentMode() === 'test' ? { 'rapport-mode': 'test' } : {}),
      },
    })
    const json = (await res.json().catch(() => undefined)) as Job | { error: ErrorBody } | undefined
    if (!res.ok) {
      throw new ApiFailure(
        res.status,
        (json as { error?: ErrorBody })?.error ?? { code: 'http_error', message: `The server answered ${res.status}` },
        undefined,
      )
    }
    setJob(json as Job)
  })

  // Follows the job until it ends: the worker writes rows in batches and reports progress.
  useEffect(() => {
    if (!job || job.status === 'completed' || job.status === 'failed') return
    const timer = setTimeout(async () => {
      try {
        setJob(await api<Job>('GET', `/api/v1/imports/${job.id}`))
      } catch {
        setJob({ ...job })
      }
    }, 500)
    return () => clearTimeout(timer)
  }, [job])

  const downloadErrors = async () => {
    if (!job) return
    const res = await fetch(`/api/v1/imports/${job.id}/errors`, {
      credentials: 'same-origin',
      headers: currentMode() === 'test' ? { 'rapport-mode': 'test' } : {},
    })
    const url = URL.createObjectURL(await res.blob())
    const link = document.createElement('a')
    link.href = url
    link.download = `${job.id}-errors.csv`
    link.click()
    setTimeout(() => URL.revokeObjectURL(url), 1000)
  }

  const mapped = new Set(Object.values(mapping))
  const hasKeyField = mapped.has('name') || mapped.has('email') || mapped.has('phone')
  const done = job?.status === 'completed' || job?.status === 'failed'
  return (
    <Page
      title="Import contacts"
      intro="Upload a CSV, check its first rows, say what each column holds, and import it in the background."
    >
      <section class="panel" aria-labelledby="import-file">
        <h2 id="import-file">1. The file</h2>
        <Field label="CSV file" hint="UTF-8, comma-separated, with a header row; up to 1 GB">
          {(id, hint) => (
            <input
              id={id}
              type="file"
              accept=".csv,text/csv"
              aria-describedby={hint}
              onChange={(e) => choose(e.currentTarget.files?.[0])}
            />
          )}
        </Field>
        {parseError && (
          <p class="note error" role="alert">
            {parseError}
          </p>
        )}
        {headers.length > 0 && (
          <div class="table-wrap import-preview">
            <table>
              <caption>
                The first {rows.length} rows of {file?.name}
              </caption>
              <thead>
                <tr>
                  {headers.map((h) => (
                    <th key={h} scope="col">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={i}>
                    {headers.map((h, j) => (
                      <td key={h}>{r[j] ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {headers.length > 0 && (
        <section class="panel" aria-labelledby="import-mapping">
          <h2 id="import-mapping">2. What each column holds</h2>
          <p class="muted small">Suggested from the headers. A custom field keeps the column under its own name.</p>
          <form onSubmit={start.onSubmit}>
            <div class="mapping-grid">
              {headers.map((h) => (
                <Field key={h} label={`Column “${h}”`}>
                  {(id) => (
                    <select
                      id={id}
                      value={mapping[h]}
                      onChange={(e) => setMapping({ ...mapping, [h]: e.currentTarget.value })}
                    >
                      <option value={IGNORE}>Ignore this column</option>
                      {FIELDS.map((f) => (
                        <option key={f} value={f}>
                          {f.replace('_', ' ')}
                        </option>
                      ))}
                      <option value={CUSTOM}>Custom field “{customKey(h)}”</option>
                    </select>
                  )}
                </Field>
              ))}
            </div>
            <MatchChoice
              mapping={mapping}
              suggested={Object.fromEntries(headers.map((h) => [h, suggestField(h)]))}
              onMapping={setMapping}
            />
            {!hasKeyField && (
              <p class="note warn" role="alert">
                Map a column to name, email or phone: a contact needs one of them.
              </p>
            )}
            <button type="submit" disabled={start.busy || !hasKeyField || (job !== null && !done)}>
              Import {file?.name}
            </button>
            <ErrorNote error={start.error} />
          </form>
        </section>
      )}
      {job && (
        <section class="panel" aria-labelledby="import-progress">
          <h2 id="import-progress">3. Progress</h2>
          <label for="import-bar">
            {job.status === 'queued' && 'Waiting for a worker…'}
            {job.status === 'running' &&
              `Importing: ${job.rows_read.toLocaleString()} of ${job.rows_total?.toLocaleString() ?? '…'} rows`}
            {job.status === 'completed' && `Done: ${job.rows_read.toLocaleString()} rows read`}
            {job.status === 'failed' && 'The import failed'}
          </label>
          <progress
            id="import-bar"
            class="import-progress"
            max={job.rows_total ?? 1}
            value={job.status === 'completed' ? (job.rows_total ?? 1) : job.rows_read}
          />
          <p role="status" data-testid="import-status">
            {job.created.toLocaleString()} created · {job.updated.toLocaleString()} updated ·{' '}
            {job.failed.toLocaleString()} skipped{job.status === 'completed' ? ' · finished' : ''}
          </p>
          {job.error && (
            <p class="note error" role="alert">
              {job.error}
            </p>
          )}
          {done && job.failed > 0 && (
            <button type="button" class="secondary" onClick={downloadErrors}>
              Download the skipped rows (CSV)
            </button>
          )}
        </section>
      )}
    </Page>
  )
}
