import { Page } from '../../ui.js'

export function ContactsPage() {
  return <Page title="Contacts">Loading…</Page>
}
