import { getCoreRowModel, type RowSelectionState } from '@tanstack/table-core'
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { tinykeys } from 'tinykeys'
import { api, type List } from '../../api.js'
import { useSession } from '../../session.js'
import type { Contact, Item, Ok, User } from '../../types.js'
import { ConfirmButton, ErrorNote, Link, Page, useLoad } from '../../ui.js'
import { useLiveEvents } from '../../workspace/live.js'
import { outsideFields } from '../../workspace/shortcuts.js'
import { useTable } from '../../workspace/table.js'
import { useVirtualRows } from '../../workspace/virtual-rows.js'
import { ColumnsEditor, FilterEditor } from './contacts-controls.js'
import {
  cellText,
  columnLabel,
  DEFAULT_VIEW,
  eachLimited,
  fromSaved,
  type NameOf,
  type SearchSort,
  SORTABLE,
  searchPage,
  type ViewConfig,
  viewAsCsv,
} from './contacts-query.js'
import { SavedViewsBar } from './saved-views-bar.js'
import './workspace-a.css'

type SavedView = Item<'listSavedViews'>
type BulkAssignment = Ok<'bulkAssignContacts'>

/** Contacts one bulk assignment may name (the API's limit): a larger selection goes in several. */
const ASSIGN_BATCH = 500

const ROW_HEIGHT_PX = 44

interface Rows {
  data: Contact[]
  cursor: string | null
  hasMore: boolean
  total: number | null
  totalIsExact: boolean
  loading: boolean
  error: unknown
}

const EMPTY: Rows = {
  data: [],
  cursor: null,
  hasMore: true,
  total: null,
  totalIsExact: true,
  loading: false,
  error: null,
}

/**
 * The contacts table: a view (columns, sort, filter, search) read by keyset pages of
 * POST /api/v1/contacts/search as the body scrolls, drawn by a virtualizer so a million contacts
 * cost what a hundred do.
 */
export function ContactsPage() {
  const { session } = useSession()
  const [view, setView] = useState<ViewConfig>(DEFAULT_VIEW)
  const [current, setCurrent] = useState<SavedView | null>(null)
  const [rows, setRows] = useState<Rows>(EMPTY)
  const [selection, setSelection] = useState<RowSelectionState>({})
  const [searchText, setSearchText] = useState('')
  const [bulk, setBulk] = useState<{ busy: string | null; error: unknown; note: string | null }>({
    busy: null,
    error: null,
    note: null,
  })
  const [newContacts, setNewContacts] = useState(0)
  const [sortNote, setSortNote] = useState('')
  // The organization's people: owners by name, the owner filter and bulk assignment.
  const people = useLoad(() => api<List<User>>('GET', '/api/v1/users?limit=100'), [])
  const users = people.data?.data ?? []
  const nameOf: NameOf = (id) =>
    id === session.user.id ? `${session.user.name} (you)` : (users.find((u) => u.id === id)?.name ?? 'A former user')
  const scroller = useRef<HTMLDivElement>(null)
  const search = useRef<HTMLInputElement>(null)
  const round = useRef(0)

  const load = async (reset: boolean) => {
    const id = reset ? ++round.current : round.current
    const cursor = reset ? null : rows.cursor
    setRows((r) => ({ ...(reset ? EMPTY : r), loading: true, error: null }))
    try {
      const page = await searchPage(view, cursor)
      if (id !== round.current) return
      setRows((r) => ({
        data: reset ? page.data : [...r.data, ...page.data],
        cursor: page.pagination.next_cursor,
        hasMore: page.pagination.has_more,
        total: page.pagination.total,
        totalIsExact: page.pagination.total_is_exact,
        loading: false,
        error: null,
      }))
    } catch (error) {
      if (id === round.current) setRows((r) => ({ ...r, loading: false, error }))
    }
  }
  useEffect(() => {
    setSelection({})
    setNewContacts(0)
    scroller.current?.scrollTo(0, 0)
    void load(true)
  }, [view])
  useEffect(
    () =>
      tinykeys(window, {
        '/': outsideFields((event) => {
          event.preventDefault()
          search.current?.focus()
        }),
      }),
    [],
  )
  useLiveEvents(['contact.'], async (event) => {
    const id = event.data.id
    if (event.event === 'contact.created') return setNewContacts((n) => n + 1)
    if (typeof id !== 'string' || !rows.data.some((c) => c.id === id)) return
    if (event.event === 'contact.deleted') {
      return setRows((r) => ({ ...r, data: r.data.filter((c) => c.id !== id) }))
    }
    const fresh = await api<Contact>('GET', `/api/v1/contacts/${id}`).catch(() => undefined)
    if (fresh) setRows((r) => ({ ...r, data: r.data.map((c) => (c.id === id ? fresh : c)) }))
  })

  const columns = useMemo(
    () =>
      view.columns.map((col) => ({
        id: col,
        header: columnLabel(col),
        accessorFn: (c: Contact) => cellText(c, col, nameOf),
      })),
    [view.columns, users],
  )
  const table = useTable<Contact>({
    data: rows.data,
    columns,
    getRowId: (c) => c.id,
    getCoreRowModel: getCoreRowModel(),
    enableRowSelection: true,
    state: { rowSelection: selection },
    onRowSelectionChange: (updater) => setSelection((s) => (typeof updater === 'function' ? updater(s) : updater)),
  })
  const tableRows = table.getRowModel().rows
  const virtual = useVirtualRows({
    count: tableRows.length,
    scrollElement: () => scroller.current,
    rowHeightPx: ROW_HEIGHT_PX,
  })
  const items = virtual.getVirtualItems()
  const lastShown = items.at(-1)?.index ?? 0
  useEffect(() => {
    if (rows.hasMore && !rows.loading && !rows.error && lastShown >= rows.data.length - 20 && rows.data.length > 0) {
      void load(false)
    }
  }, [lastShown, rows.hasMore, rows.loading, rows.data.length])

  const selectedIds = Object.keys(selection).filter((id) => selection[id])
  const sortOf = (col: string): 'ascending' | 'descending' | undefined => {
    if (view.sort === col) return 'ascending'
    if (view.sort === `-${col}`) return 'descending'
    if (!view.sort && col === 'created_at') return 'descending'
    return undefined
  }
  const toggleSort = (col: string) => {
    const next = sortOf(col) === 'ascending' ? 'descending' : 'ascending'
    setView({ ...view, sort: (next === 'descending' ? `-${col}` : col) as SearchSort })
    setSortNote(`Sorted by ${columnLabel(col).toLowerCase()}, ${next}.`)
  }

  const runBulk = async (label: string, work: (contact: Contact) => Promise<unknown>) => {
    const chosen = rows.data.filter((c) => selection[c.id])
    setBulk({ busy: label, error: null, note: null })
    const failures = await eachLimited(chosen, 4, work)
    setBulk({
      busy: null,
      error: failures[0]?.error ?? null,
      note: `${label}: ${chosen.length - failures.length} of ${chosen.length} contacts done.`,
    })
    await load(true)
  }
  const addTag = (tag: string) =>
    runBulk(`Tag “${tag}”`, (c) =>
      c.tags.some((t) => t.toLowerCase() === tag.toLowerCase())
        ? Promise.resolve()
        : api('PATCH', `/api/v1/contacts/${c.id}`, { tags: [...c.tags, tag] }),
    )
  /** Gives the selected contacts one owner (null: nobody), 500 at a time; throws so the dialog shows why. */
  const assign = async (ownerId: string | null, ownerName: string) => {
    const chosen = rows.data.filter((c) => selection[c.id]).map((c) => c.id)
    setBulk({ busy: 'Assign', error: null, note: null })
    let updated = 0
    let unchanged = 0
    try {
      for (let i = 0; i < chosen.length; i += ASSIGN_BATCH) {
        const done = await api<BulkAssignment>('POST', '/api/v1/contacts/bulk_assign', {
          ids: chosen.slice(i, i + ASSIGN_BATCH),
          owner_id: ownerId,
        })
        updated += done.updated.length
        unchanged += done.unchanged.length
      }
    } catch (error) {
      setBulk({ busy: null, error: null, note: updated > 0 ? `Assigned ${updated} contacts before an error.` : null })
      throw error
    }
    const whom = ownerId === null ? 'nobody' : ownerName
    setBulk({
      busy: null,
      error: null,
      note: `Assigned ${updated} contact${updated === 1 ? '' : 's'} to ${whom}.${unchanged > 0 ? ` ${unchanged} already had this owner.` : ''}`,
    })
    // The selection stays (another action may follow); the rows are read again with their owner.
    await load(true)
  }
  const exportCsv = async () => {
    setBulk({ busy: 'Export', error: null, note: null })
    try {
      const csv = await viewAsCsv(view, (n) => setBulk((b) => ({ ...b, note: `Exporting… ${n} rows` })), nameOf)
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }))
      const link = document.createElement('a')
      link.href = url
      link.download = `${current?.name ?? 'contacts'}.csv`
      link.click()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
      setBulk({ busy: null, error: null, note: 'Exported the view as CSV.' })
    } catch (error) {
      setBulk({ busy: null, error, note: null })
    }
  }

  const gridColumns = `2.75rem repeat(${view.columns.length}, minmax(9rem, 1fr))`
  const headers = table.getHeaderGroups()[0]?.headers ?? []
  const totalText = rows.total === null ? '' : `${rows.total.toLocaleString()}${rows.totalIsExact ? '' : '+'} contacts`
  return (
    <Page title="Contacts" intro="Your organization’s people. Choose columns, filter, save views, act on many at once.">
      <SavedViewsBar
        view={view}
        current={current}
        onPick={(picked) => {
          setCurrent(picked)
          const next = picked ? fromSaved(picked) : DEFAULT_VIEW
          setSearchText(next.q ?? '')
          setView(next)
        }}
        onSaved={setCurrent}
      />
      <form
        class="contacts-search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault()
          setView({ ...view, q: searchText.trim() || null })
        }}
      >
        <input
          ref={search}
          type="search"
          aria-label="Search contacts by name, email, phone or company"
          placeholder="Search name, email, phone, company (press /)"
          value={searchText}
          onInput={(e) => setSearchText(e.currentTarget.value)}
        />
        <button type="submit" class="secondary">
          Search
        </button>
      </form>
      <div class="table-tools">
        <span class="owner-filter">
          <label for="owner-filter">Owner</label>{' '}
          <select
            id="owner-filter"
            value={view.owner ?? ''}
            onChange={(e) => setView({ ...view, owner: e.currentTarget.value || null })}
          >
            <option value="">Anyone</option>
            <option value="me">Me</option>
            <option value="none">Nobody</option>
            {users
              .filter((u) => u.id !== session.user.id)
              .map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
          </select>
        </span>
        <FilterEditor filter={view.filter} onApply={(filter) => setView({ ...view, filter })} />
        <ColumnsEditor columns={view.columns} onChange={(cols) => setView({ ...view, columns: cols })} />
        <button type="button" class="secondary small" onClick={exportCsv} disabled={bulk.busy !== null}>
          Export CSV
        </button>
      </div>
      {selectedIds.length > 0 && (
        <BulkBar
          count={selectedIds.length}
          busy={bulk.busy}
          people={users}
          onAssign={assign}
          onTag={addTag}
          onDelete={() => runBulk('Delete', (c) => api('DELETE', `/api/v1/contacts/${c.id}`))}
          onClear={() => setSelection({})}
        />
      )}
      {bulk.note && (
        <p class="muted" role="status">
          {bulk.note}
        </p>
      )}
      <p class="sr-only" role="status" data-testid="sort-announcer">
        {sortNote}
      </p>
      <ErrorNote error={bulk.error ?? rows.error ?? people.error} />
      {newContacts > 0 && (
        <button type="button" class="secondary small" onClick={() => void load(true)}>
          {newContacts} new contact{newContacts === 1 ? '' : 's'}: show
        </button>
      )}
      <div class="grid-wrap">
        <div
          role="table"
          class="grid"
          aria-label="Contacts"
          aria-rowcount={rows.total !== null && !rows.totalIsExact ? -1 : (rows.total ?? rows.data.length) + 1}
        >
          <div role="rowgroup" class="grid-head">
            <div role="row" class="grid-row" style={{ gridTemplateColumns: gridColumns }} aria-rowindex={1}>
              <div role="columnheader" class="grid-check">
                <input
                  type="checkbox"
                  aria-label="Select all loaded contacts"
                  checked={table.getIsAllRowsSelected()}
                  onChange={table.getToggleAllRowsSelectedHandler()}
                />
              </div>
              {headers.map((header) => {
                const col = header.column.id
                return (
                  <div role="columnheader" key={col} aria-sort={sortOf(col)}>
                    {SORTABLE.has(col) ? (
                      <button type="button" class="sort" onClick={() => toggleSort(col)}>
                        {columnLabel(col)}
                        <span aria-hidden="true">
                          {sortOf(col) === 'ascending' ? ' ▲' : sortOf(col) === 'descending' ? ' ▼' : ''}
                        </span>
                      </button>
                    ) : (
                      columnLabel(col)
                    )}
                  </div>
                )
              })}
            </div>
          </div>
          <div role="rowgroup" class="grid-body" ref={scroller}>
            <div class="grid-spacer" style={{ height: `${virtual.getTotalSize()}px` }}>
              {items.map((item) => {
                const row = tableRows[item.index]
                if (!row) return null
                const contact = row.original
                return (
                  <div
                    role="row"
                    key={row.id}
                    class={`grid-row${row.getIsSelected() ? ' selected' : ''}`}
                    aria-rowindex={item.index + 2}
                    style={{ gridTemplateColumns: gridColumns, transform: `translateY(${item.start}px)` }}
                  >
                    <div role="cell" class="grid-check">
                      <input
                        type="checkbox"
                        aria-label={`Select ${contact.name ?? contact.email ?? contact.id}`}
                        checked={row.getIsSelected()}
                        onChange={row.getToggleSelectedHandler()}
                      />
                    </div>
                    {row.getVisibleCells().map((cell, i) => (
                      <div role="cell" key={cell.id} class="truncate-cell">
                        {i === 0 ? (
                          <Link href={`/app/contacts/${contact.id}`}>
                            {String(cell.getValue() || contact.email || contact.id)}
                          </Link>
                        ) : (
                          String(cell.getValue() ?? '')
                        )}
                      </div>
                    ))}
                  </div>
                )
              })}
            </div>
          </div>
        </div>
      </div>
      <p class="muted small" role="status">
        {rows.loading
          ? 'Loading contacts…'
          : `${rows.data.length.toLocaleString()} loaded of ${totalText || '0 contacts'}`}
      </p>
    </Page>
  )
}

function BulkBar(props: {
  count: number
  busy: string | null
  people: User[]
  onAssign(ownerId: string | null, ownerName: string): Promise<unknown>
  onTag(tag: string): void
  onDelete(): Promise<unknown>
  onClear(): void
}) {
  const [tag, setTag] = useState('')
  const [owner, setOwner] = useState('')
  const ownerName = owner === 'none' ? 'nobody' : (props.people.find((u) => u.id === owner)?.name ?? '')
  const contacts = `${props.count} contact${props.count === 1 ? '' : 's'}`
  return (
    <section class="bulk-bar" aria-label="Bulk actions">
      <strong>{props.count} selected</strong>
      <span class="bulk-assign">
        <select aria-label="New owner" value={owner} onChange={(e) => setOwner(e.currentTarget.value)}>
          <option value="">Assign to…</option>
          {props.people.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
          <option value="none">Nobody (unassign)</option>
        </select>
        {owner ? (
          <ConfirmButton
            class="small"
            label="Assign…"
            title={`Assign ${contacts} to ${ownerName}?`}
            body={
              <p>
                {owner === 'none'
                  ? 'They will have no owner.'
                  : `${ownerName} becomes their owner; contacts already theirs stay as they are.`}{' '}
                Each change is recorded and sent to your webhooks as contact.updated.
              </p>
            }
            confirmLabel={owner === 'none' ? `Unassign ${contacts}` : `Assign ${contacts}`}
            onConfirm={() => props.onAssign(owner === 'none' ? null : owner, ownerName)}
          />
        ) : (
          <button type="button" class="small" disabled>
            Assign…
          </button>
        )}
      </span>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault()
          if (tag.trim()) props.onTag(tag.trim())
        }}
      >
        <input aria-label="Tag to add" placeholder="Tag" value={tag} onInput={(e) => setTag(e.currentTarget.value)} />
        <button type="submit" class="small" disabled={props.busy !== null}>
          Add tag
        </button>
      </form>
      <ConfirmButton
        label="Delete…"
        title={`Delete ${props.count} contacts?`}
        body={<p>Their notes, tasks and deals stay; the contacts cannot be brought back.</p>}
        confirmLabel={`Delete ${props.count} contacts`}
        onConfirm={props.onDelete}
      />
      <button type="button" class="secondary small" onClick={props.onClear}>
        Clear selection
      </button>
    </section>
  )
}
