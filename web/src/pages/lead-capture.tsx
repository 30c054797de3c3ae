import { useState } from 'preact/hooks'
import { api, type List } from '../api.js'
import { useSession } from '../session.js'
import type { BookingEventType, Form, User } from '../types.js'
import { AskAnAdmin, CodeBlock, ErrorNote, Field, Link, Loading, Page, useLoad } from '../ui.js'
import { loadKeys, OriginsEditor } from './api-keys.js'

export const formSnippet = (origin: string, key: string, formId: string) =>
  `<script src="${origin}/widget/form.js" data-key="${key}" data-form="${formId}" data-theme="auto"></script>`

const bookingSnippet = (origin: string, username: string, slug: string) =>
  `<script src="${origin}/widget/book.js" data-username="${username}" data-event="${slug}"></script>`

export function LeadCapturePage() {
  const { isAdmin, mode } = useSession()
  const origin = window.location.origin
  const forms = useLoad(() => api<List<Form>>('GET', '/api/v1/forms?limit=100'), [])
  const keys = useLoad(() => (isAdmin ? loadKeys() : Promise.resolve(undefined)), [isAdmin])
  const publishable = (keys.data?.data ?? []).filter((k) => k.type === 'publishable' && k.mode === mode)
  const [keyId, setKeyId] = useState('')
  const chosen = publishable.find((k) => k.id === keyId) ?? publishable[0]
  // A publishable key is public, so the API lists it whole; keys made before it did show 12 characters.
  const isWhole = (k: { prefix: string }) => k.prefix.length > 12
  const keyText = chosen ? (isWhole(chosen) ? chosen.prefix : `${chosen.prefix}…`) : `pk_${mode}_…`
  return (
    <Page title="Lead capture" intro="Put your forms and booking pages on your websites with one script tag each.">
      <section aria-labelledby="pk-title" class="panel">
        <h2 id="pk-title">Publishable keys</h2>
        <p class="muted">
          Forms on your sites use a publishable key. It only submits forms, and only from the origins you allow.
        </p>
        {!isAdmin && <AskAnAdmin what="publishable keys" />}
        {isAdmin && <ErrorNote error={keys.error} />}
        {isAdmin && keys.data && publishable.length === 0 && (
          <p>
            No {mode} publishable key yet. <Link href="/app/keys">Create one</Link> (type “Publishable”) with your
            website’s origin.
          </p>
        )}
        {publishable.length > 0 && (
          <ul class="plain keys">
            {publishable.map((k) => (
              <li key={k.id}>
                <strong>{k.name}</strong> <code>{k.prefix}…</code>
                <OriginsEditor apiKey={k} onSaved={keys.reload} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="forms-title">
        <h2 id="forms-title">Forms</h2>
        {publishable.length > 1 && (
          <Field label="Key in the snippets">
            {(id) => (
              <select id={id} value={chosen?.id} onChange={(e) => setKeyId(e.currentTarget.value)}>
                {publishable.map((k) => (
                  <option key={k.id} value={k.id}>
                    {k.name} ({k.prefix}…)
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {chosen && !isWhole(chosen) && (
          <p class="muted small">
            This key was created before Rapport kept publishable keys whole: replace <code>{keyText}</code> with the key
            you copied when you created it, or create a new publishable key.
          </p>
        )}
        <ErrorNote error={forms.error} />
        {!forms.data && !forms.error && <Loading what="forms" />}
        {forms.data?.data.length === 0 && (
          <p class="muted">
            No forms yet: create one with <code>POST /api/v1/forms</code> (see the lead capture guide).
          </p>
        )}
        {forms.data?.data.map((f) => (
          <article key={f.id} class="panel">
            <h3>{f.name}</h3>
            <p class="muted small">
              <code>{f.id}</code> · {f.fields.length} {f.fields.length === 1 ? 'field' : 'fields'}:{' '}
              {f.fields.map((x) => x.label).join(', ')}
            </p>
            <CodeBlock label={`Embed code for ${f.name}`} code={formSnippet(origin, keyText, f.id)} />
          </article>
        ))}
      </section>

      <BookingWidgets origin={origin} />
    </Page>
  )
}

async function loadBookingTypes() {
  const [types, users] = await Promise.all([
    api<List<BookingEventType>>('GET', '/api/v1/booking_event_types?active=true&limit=100'),
    api<List<User>>('GET', '/api/v1/users?limit=100'),
  ])
  const byId = new Map(users.data.map((u) => [u.id, u]))
  return types.data.flatMap((t) => {
    const host = byId.get(t.user_id)
    return host ? [{ type: t, host }] : []
  })
}

function BookingWidgets(props: { origin: string }) {
  const types = useLoad(loadBookingTypes, [])
  return (
    <section aria-labelledby="booking-title">
      <h2 id="booking-title">Booking widget</h2>
      <p class="muted">
        A “Book a call” button that opens the host’s booking page in a modal. No key needed: booking pages are public.
      </p>
      <ErrorNote error={types.error} />
      {!types.data && !types.error && <Loading what="booking pages" />}
      {types.data?.length === 0 && <p class="muted">No active booking event types yet.</p>}
      {types.data?.map(({ type, host }) => (
        <article key={type.id} class="panel">
          <h3>
            {type.title} <span class="muted small">with {host.name}</span>
          </h3>
          <p class="small">
            Page:{' '}
            <a href={`/book/${host.username}/${type.slug}`}>
              {props.origin}/book/{host.username}/{type.slug}
            </a>
          </p>
          <CodeBlock
            label={`Embed code for ${type.title}`}
            code={bookingSnippet(props.origin, host.username, type.slug)}
          />
        </article>
      ))}
    </section>
  )
}
