import { Page } from '../../ui.js'

export function ContactPage(props: { id?: string }) {
  return <Page title="Contact">{props.id}</Page>
}
