import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { hasChromium, launchChromium, requireChromiumInCi } from './chromium.js'
import { MEMBER, type Workspace, workspace } from './workspace-a-host.js'

/*
 * The CRM workspace in headless Chromium, as a member of a sales team: Home, the command palette,
 * a contact edited in place (and the conflict when someone else changed it), a note, live updates
 * from another session, and the contacts table with a saved view and a bulk tag.
 */

requireChromiumInCi()

describe.runIf(hasChromium)('the workspace as a member', () => {
  let browser: Browser
  let ws: Workspace
  let page: Page

  beforeAll(async () => {
    browser = await launchChromium()
    ws = await workspace(browser)
    page = ws.member
  })
  afterAll(async () => {
    await ws?.close()
    await browser?.close()
  })

  const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name })

  test('a member lands on Home, with workspace pages first and developer pages under Developers', async () => {
    await page.goto(`${ws.site.origin}/app`)
    await heading('Home').waitFor()
    const links = await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link').allTextContents()
    expect(links.slice(0, 2)).toEqual(['Home', 'Contacts'])
    expect(links.at(-1)).toBe('Quick start')
    expect(await page.getByText(`Good to see you, ${MEMBER.name}`).isVisible()).toBe(true)
  })
})
