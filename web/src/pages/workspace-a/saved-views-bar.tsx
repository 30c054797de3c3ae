import { useRef, useState } from 'preact/hooks'
import { api, type List } from '../../api.js'
import { useSession } from '../../session.js'
import type { Item } from '../../types.js'
import { ConfirmButton, ErrorNote, Field, useLoad, useSubmit } from '../../ui.js'
import { savedFields, type ViewConfig } from './contacts-query.js'

type SavedView = Item<'listSavedViews'>

/** Pick, save, update and delete saved views (GET/POST/PATCH/DELETE /api/v1/saved_views). */
export function SavedViewsBar(props: {
  view: ViewConfig
  current: SavedView | null
  onPick(view: SavedView | null): void
  onSaved(view: SavedView | null): void
}) {
  const { session, isAdmin } = useSession()
  const views = useLoad(
    () => api<List<SavedView>>('GET', '/api/v1/saved_views?resource=contacts&limit=100'),
    [props.current?.id, props.current?.updated_at],
  )
  const dialog = useRef<HTMLDialogElement>(null)
  const [name, setName] = useState('')
  const [shared, setShared] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const save = useSubmit(async () => {
    const made = await api<SavedView>('POST', '/api/v1/saved_views', {
      resource: 'contacts',
      name,
      shared,
      ...savedFields(props.view),
    })
    dialog.current?.close()
    props.onSaved(made)
  })
  const mine = props.current && (props.current.owner_id === session.user.id || isAdmin)
  const update = async () => {
    if (!props.current) return
    setError(null)
    try {
      props.onSaved(await api<SavedView>('PATCH', `/api/v1/saved_views/${props.current.id}`, savedFields(props.view)))
    } catch (err) {
      setError(err)
    }
  }
  return (
    <div class="views-bar">
      <label>
        View{' '}
        <select
          value={props.current?.id ?? ''}
          onChange={(e) => props.onPick(views.data?.data.find((v) => v.id === e.currentTarget.value) ?? null)}
        >
          <option value="">All contacts</option>
          {views.data?.data.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
              {v.shared ? ' (shared)' : ''}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        class="secondary small"
        onClick={() => {
          setName('')
          setShared(false)
          dialog.current?.showModal()
        }}
      >
        Save as view…
      </button>
      {props.current && mine && (
        <>
          <button type="button" class="secondary small" onClick={update}>
            Save changes to “{props.current.name}”
          </button>
          <ConfirmButton
            label="Delete view"
            title={`Delete the view “${props.current.name}”?`}
            body={<p>The contacts stay; only the saved columns, sort and filters go.</p>}
            confirmLabel="Delete view"
            onConfirm={async () => {
              await api('DELETE', `/api/v1/saved_views/${props.current?.id}`)
              props.onPick(null)
            }}
          />
        </>
      )}
      <ErrorNote error={error ?? views.error} />
      <dialog ref={dialog} class="confirm" aria-labelledby="save-view-title">
        <h2 id="save-view-title">Save this view</h2>
        <form onSubmit={save.onSubmit}>
          <Field label="View name">
            {(id) => (
              <input id={id} required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
            )}
          </Field>
          <label class="inline-check">
            <input type="checkbox" checked={shared} onChange={(e) => setShared(e.currentTarget.checked)} /> Share with
            everyone in the organization
          </label>
          <ErrorNote error={save.error} />
          <div class="actions">
            <button type="submit" disabled={save.busy}>
              Save view
            </button>
            <button type="button" class="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </div>
  )
}
