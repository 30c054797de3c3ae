import { useState } from 'preact/hooks'
import { useSession } from '../session.js'
import { examples, type Language, VERIFY } from '../snippets.js'
import { CodeBlock, Link, Page } from '../ui.js'

const LANGUAGES: { id: Language; label: string }[] = [
  { id: 'curl', label: 'cURL' },
  { id: 'javascript', label: 'JavaScript' },
  { id: 'python', label: 'Python' },
]

export function QuickStartPage() {
  const { isAdmin, mode } = useSession()
  const [language, setLanguage] = useState<Language>('curl')
  const origin = window.location.origin
  const keyPrefix = mode === 'test' ? 'rk_test_' : 'rk_live_'
  const tabs = (
    <div role="tablist" aria-label="Language" class="tabs">
      {LANGUAGES.map((l) => (
        <button
          key={l.id}
          type="button"
          role="tab"
          id={`tab-${l.id}`}
          aria-selected={language === l.id}
          aria-controls="examples"
          tabIndex={language === l.id ? 0 : -1}
          onClick={() => setLanguage(l.id)}
          onKeyDown={(e) => {
            // Arrow keys move between tabs (one tab stop for the list).
            const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0
            if (!step) return
            const i = (LANGUAGES.findIndex((x) => x.id === language) + step + LANGUAGES.length) % LANGUAGES.length
            setLanguage(LANGUAGES[i]!.id)
            document.getElementById(`tab-${LANGUAGES[i]!.id}`)?.focus()
          }}
        >
          {l.label}
        </button>
      ))}
    </div>
  )
  return (
    <Page
      title="Quick start"
      intro={
        <>
          Call the Rapport API at <code>{origin}/api/v1</code> from your own code.
        </>
      }
    >
      <ol class="steps">
        <li>
          {isAdmin ? (
            <>
              <Link href="/app/keys">Create a secret key</Link> with the scopes your code needs.
            </>
          ) : (
            <>Ask an admin of your organization for a secret key.</>
          )}
        </li>
        <li>
          Keep it out of your code: <code>export RAPPORT_KEY={keyPrefix}…</code>
        </li>
        <li>Copy an example below. Every request sends the key as a bearer token.</li>
      </ol>
      {tabs}
      <div id="examples" role="tabpanel" aria-labelledby={`tab-${language}`}>
        {examples(origin).map((ex) => (
          <CodeBlock key={ex.title} label={ex.title} code={ex.code[language]} />
        ))}
      </div>
      <h2>Verify webhook signatures</h2>
      <p>
        Each delivery carries <code>webhook-id</code>, <code>webhook-timestamp</code> and <code>webhook-signature</code>{' '}
        (Standard Webhooks): <code>v1,</code> and the base64 HMAC-SHA256 of <code>id.timestamp.body</code>, keyed with
        the base64-decoded part of the secret after <code>whsec_</code>. Verify the raw body, before parsing it. Any
        Standard Webhooks library works too; a simpler <code>X-Webhook-Signature</code> header carries the hex
        HMAC-SHA256 of the body keyed with the whole secret.
      </p>
      <CodeBlock label="Verify in Node.js" code={VERIFY.javascript} />
      <CodeBlock label="Verify in Python" code={VERIFY.python} />
    </Page>
  )
}
