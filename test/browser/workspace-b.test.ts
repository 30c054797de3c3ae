import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startImportWorker } from '../../src/modules/imports/import-worker.js'
import { hasChromium, launchChromium, requireChromiumInCi } from './chromium.js'
import { type Workspace, workspace } from './workspace-a-host.js'
import { pageOverflowPx, seriousAxeViolations, workspaceShot } from './workspace-b-axe.js'

/*
 * The deal board, tasks, import, lead capture and team screens in headless Chromium, as a member
 * (Team as the owner): cards dragged to Won with a reason by mouse and by keyboard, a task completed
 * in one click, axe-core on every screen, screenshots at 1280 and 390 px.
 */

requireChromiumInCi()

type StageView = { id: string; name: string; kind: string }
type DealView = { id: string; stage_id: string; status: string; won_reason: string | null }

describe.runIf(hasChromium)('workspace screens (deals, tasks…) as a member', () => {
  let browser: Browser
  let ws: Workspace
  let page: Page
  let stages: Record<string, StageView>

  beforeAll(async () => {
    browser = await launchChromium()
    ws = await workspace(browser)
    page = ws.member
    const pipeline = (await ws.callApi<{ data: { stages: StageView[] }[] }>('GET', '/api/v1/pipelines')).body.data[0]!
    stages = Object.fromEntries(pipeline.stages.map((s) => [s.name, s]))
  }, 120_000)
  afterAll(async () => {
    await ws?.close()
    await browser?.close()
  })

  const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name })
  const newDeal = async (title: string, extra: Record<string, unknown> = {}) => {
    const res = await ws.callApi<DealView>('POST', '/api/v1/deals', { title, value: 1500, ...extra })
    expect(res.status).toBe(201)
    return res.body
  }
  const getDeal = async (id: string) => (await ws.callApi<DealView>('GET', `/api/v1/deals/${id}`)).body
  const card = (title: string) => page.locator('li.deal-card', { hasText: title })
  const column = (name: string) => page.locator('section.deal-column', { has: page.getByRole('heading', { name }) })

  test('the board shows a column per stage with its count and total, and a rotting deal in red', async () => {
    const contact = await ws.callApi<{ id: string }>('POST', '/api/v1/contacts', {
      email: 'ada@buyer.example',
      name: 'Ada Buyer',
    })
    // Stages are an admin's to configure (the board's settings show to owners and admins).
    await ws.site.deps.db
      .updateTable('stages')
      .set({ rotting_days: 5 })
      .where('id', '=', stages.Qualified!.id)
      .execute()
    const stale = await newDeal('Stale renewal', { stage_id: stages.Qualified!.id, contact_id: contact.body.id })
    // Nothing happened on it for 30 days, as the database sees it.
    await ws.site.deps.db
      .updateTable('deals')
      .set({ updated_at: new Date(Date.now() - 30 * 86_400_000) })
      .where('id', '=', stale.id)
      .execute()
    await newDeal('Fresh lead', { stage_id: stages.Lead!.id, owner_id: ws.memberId })
    await page.goto(`${ws.site.origin}/app/deals`)
    await heading('Deals').waitFor()
    await card('Fresh lead').waitFor()
    expect(await column('Lead').locator('header').innerText()).toMatch(/1 deal · \$1,500\.00/)
    await expect.poll(() => card('Stale renewal').getAttribute('class')).toContain('rotting')
    expect(await card('Stale renewal').innerText()).toContain('Ada Buyer')
    expect(await card('Stale renewal').innerText()).toMatch(/No activity for over 5 days/)
    await workspaceShot(page, 'deals')
    expect(await seriousAxeViolations(page)).toEqual([])
  })

  test('dragging a card with the mouse to Won asks why and when, then the deal is won with that reason', async () => {
    const deal = await newDeal('Mouse deal', { stage_id: stages.Proposal!.id })
    await page.goto(`${ws.site.origin}/app/deals`)
    await card('Mouse deal').waitFor()
    const from = await card('Mouse deal').locator('.deal-value').boundingBox()
    await column('Won').scrollIntoViewIfNeeded()
    const to = await column('Won').locator('ul.deal-cards').boundingBox()
    // Re-measure the card: scrolling the board may have moved it.
    const start = (await card('Mouse deal').locator('.deal-value').boundingBox()) ?? from!
    await page.mouse.move(start.x + 5, start.y + 5)
    await page.mouse.down()
    await page.mouse.move(start.x + 20, start.y + 20, { steps: 5 })
    await page.mouse.move(to!.x + to!.width / 2, to!.y + 20, { steps: 20 })
    await page.mouse.up()
    const dialog = page.getByRole('dialog', { name: /Mark “Mouse deal” as won/ })
    await dialog.waitFor()
    await dialog.getByLabel('Why was it won?').fill('Best fit for their workflow')
    await dialog.getByRole('button', { name: 'Move to Won' }).click()
    await expect.poll(async () => (await getDeal(deal.id)).status).toBe('won')
    expect(await getDeal(deal.id)).toMatchObject({
      stage_id: stages.Won!.id,
      won_reason: 'Best fit for their workflow',
    })
    await column('Won').locator('li.deal-card', { hasText: 'Mouse deal' }).waitFor()
    expect(await page.getByTestId('board-announcer').innerText()).toBe('Mouse deal moved from Proposal to Won.')
  })

  test('moving a card with the keyboard to Won, announced at each step, then asked for the reason', async () => {
    const deal = await newDeal('Keyboard deal', { stage_id: stages.Negotiation!.id })
    await page.goto(`${ws.site.origin}/app/deals`)
    const move = card('Keyboard deal').getByRole('button', { name: 'Move Keyboard deal' })
    await move.focus()
    await page.keyboard.press('Enter')
    const announcer = page.getByTestId('board-announcer')
    await expect.poll(() => announcer.innerText()).toMatch(/^Picked up Keyboard deal, in Negotiation/)
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => announcer.innerText()).toBe('Over Won.')
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: /Mark “Keyboard deal” as won/ })
    await dialog.waitFor()
    // Focus is in the dialog: type the reason and submit with the keyboard alone.
    await page.keyboard.type('Signed after the pilot')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await getDeal(deal.id)).status).toBe('won')
    expect((await getDeal(deal.id)).won_reason).toBe('Signed after the pilot')
    await expect.poll(() => announcer.innerText()).toBe('Keyboard deal moved from Negotiation to Won.')
  })

  test('the owner filter and the table view show the same deals as a table', async () => {
    await page.goto(`${ws.site.origin}/app/deals`)
    await card('Fresh lead').waitFor()
    await page.getByLabel('Owner').selectOption({ label: 'Me' })
    await expect.poll(() => page.locator('li.deal-card').count()).toBe(1)
    await page.getByRole('button', { name: 'Table' }).click()
    const rows = page.locator('table tbody tr')
    await expect.poll(() => rows.count()).toBe(1)
    expect(await rows.first().innerText()).toContain('Fresh lead')
    expect(await seriousAxeViolations(page)).toEqual([])
  })

  test('at 390 px the board scrolls by column inside itself, and no screen is wider than the phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    try {
      await page.goto(`${ws.site.origin}/app/deals`)
      await card('Fresh lead').waitFor()
      expect(await pageOverflowPx(page)).toBe(0)
      const board = page.locator('.deal-board')
      expect(await board.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true)
      await workspaceShot(page, 'deals')
      expect(await seriousAxeViolations(page)).toEqual([])
      for (const [path, title, name] of [
        ['/app/tasks', 'Tasks', 'tasks'],
        ['/app/import', 'Import contacts', 'import'],
      ] as const) {
        await page.goto(`${ws.site.origin}${path}`)
        await heading(title).waitFor()
        expect(await pageOverflowPx(page)).toBe(0)
        await workspaceShot(page, name)
        expect(await seriousAxeViolations(page)).toEqual([])
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 })
    }
  })

  test('tasks: a task due today is completed in one click, and a new one is created with a due date and contact', async () => {
    const noon = new Date()
    noon.setHours(12, 0, 0, 0)
    const due = await ws.callApi<{ id: string }>('POST', '/api/v1/tasks', {
      title: 'Call Ada back',
      assignee_id: ws.memberId,
      due_at: noon.toISOString(),
    })
    expect(due.status).toBe(201)
    await page.goto(`${ws.site.origin}/app/tasks`)
    await heading('Tasks').waitFor()
    const row = page.locator('li.task-row', { hasText: 'Call Ada back' })
    await row.waitFor()
    await workspaceShot(page, 'tasks')
    expect(await seriousAxeViolations(page)).toEqual([])
    await row.getByRole('button', { name: 'Complete Call Ada back' }).click()
    await expect.poll(() => row.count()).toBe(0)
    expect((await ws.callApi<{ status: string }>('GET', `/api/v1/tasks/${due.body.id}`)).body.status).toBe('completed')
    expect(await page.getByTestId('tasks-announcer').innerText()).toBe('Completed: Call Ada back.')

    await page.getByText('New task').click()
    await page.getByLabel('Title', { exact: true }).fill('Send the proposal')
    const tomorrow = new Date(noon.getTime() + 86_400_000)
    const local = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}T09:30`
    await page.getByLabel('Due', { exact: true }).fill(local)
    await page.getByLabel('Find a contact', { exact: true }).fill('Ada')
    await expect.poll(() => page.getByLabel('Contact', { exact: true }).locator('option').count()).toBe(2)
    await page.getByRole('button', { name: 'Create task' }).click()
    await page.getByRole('button', { name: 'Upcoming' }).click()
    const created = page.locator('li.task-row', { hasText: 'Send the proposal' })
    await created.waitFor()
    expect(await created.innerText()).toContain('Ada Buyer')
  })

  test('team, as the owner: a member’s role changes from the list, and their accepted invite is not pending', async () => {
    const owner = ws.owner
    await owner.goto(`${ws.site.origin}/app/members`)
    await owner.getByRole('heading', { level: 1, name: 'Team' }).waitFor()
    const role = owner.getByLabel('Role of Sam Seller')
    await role.waitFor()
    expect(await owner.getByText('No pending invites.').isVisible()).toBe(true)
    await workspaceShot(owner, 'team')
    expect(await seriousAxeViolations(owner)).toEqual([])
    await role.selectOption('admin')
    await expect
      .poll(() => owner.getByRole('status').filter({ hasText: 'Sam Seller is now an admin.' }).count())
      .toBe(1)
    const user = await ws.callApi<{ role: string }>('GET', `/api/v1/users/${ws.memberId}`)
    expect(user.body.role).toBe('admin')
    await role.selectOption('member')
    await expect
      .poll(async () => (await ws.callApi<{ role: string }>('GET', `/api/v1/users/${ws.memberId}`)).body.role)
      .toBe('member')
    await owner.setViewportSize({ width: 390, height: 844 })
    try {
      await owner.reload()
      await role.waitFor()
      expect(await pageOverflowPx(owner)).toBe(0)
      await workspaceShot(owner, 'team')
    } finally {
      await owner.setViewportSize({ width: 1280, height: 800 })
    }
  })

  test('import: a CSV of 5,000 rows is previewed, mapped and imported as a job, its progress followed to the end', async () => {
    // The installation runs webhook deliveries only; imports need their worker (as `rapport worker` runs it).
    const importWorker = await startImportWorker({
      db: ws.site.deps.db,
      clock: ws.site.deps.clock,
      log: ws.site.app.log,
      listen: ws.site.deps.listen,
      pollMs: 100,
      batchRows: 250,
    })
    try {
      const lines = ['Full Name,E-mail,Company,Favourite Colour']
      for (let i = 1; i <= 5000; i++) lines.push(`Person ${i},person${i}@import.example,Acme ${i % 7},blue`)
      lines.push('Nobody,not-an-email,Acme,red')
      await page.goto(`${ws.site.origin}/app/import`)
      await heading('Import contacts').waitFor()
      await page.getByLabel('CSV file').setInputFiles({
        name: 'people.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(lines.join('\n')),
      })
      await page.getByRole('table').getByText('person1@import.example').waitFor()
      // Suggested from the headers; the unknown one becomes a custom field.
      expect(await page.getByLabel('Column “Full Name”').inputValue()).toBe('name')
      expect(await page.getByLabel('Column “E-mail”').inputValue()).toBe('email')
      expect(await page.getByLabel('Column “Favourite Colour”').inputValue()).toBe('custom')
      await page.getByLabel('Column “Company”').selectOption('company')
      expect(await seriousAxeViolations(page)).toEqual([])
      await page.getByRole('button', { name: 'Import people.csv' }).click()
      const bar = page.locator('progress#import-bar')
      await bar.waitFor()
      await expect.poll(() => page.getByTestId('import-status').innerText(), { timeout: 120_000 }).toMatch(/finished/)
      expect(await page.getByTestId('import-status').innerText()).toBe(
        '5,000 created · 0 updated · 1 skipped · finished',
      )
      expect(await bar.evaluate((el: HTMLProgressElement) => [el.value, el.max])).toEqual([5001, 5001])
      await workspaceShot(page, 'import')
      const download = page.waitForEvent('download')
      await page.getByRole('button', { name: 'Download the skipped rows (CSV)' }).click()
      expect((await download).suggestedFilename()).toMatch(/^imp_.*-errors\.csv$/)
      const contact = await ws.callApi<{ data: { company: string; custom_fields: Record<string, string> }[] }>(
        'GET',
        '/api/v1/contacts?email=person42@import.example',
      )
      expect(contact.body.data[0]).toMatchObject({ company: 'Acme 0', custom_fields: { favourite_colour: 'blue' } })
    } finally {
      await importWorker.stop()
    }
  }, 180_000)

  test('import: the match key chosen before the run decides which contacts rows update (email, external id, none)', async () => {
    const importWorker = await startImportWorker({
      db: ws.site.deps.db,
      clock: ws.site.deps.clock,
      log: ws.site.app.log,
      listen: ws.site.deps.listen,
      pollMs: 100,
    })
    try {
      const kim = await ws.callApi<{ id: string }>('POST', '/api/v1/contacts', {
        name: 'Kim Old',
        email: 'kim@old.example',
        external_id: 'crm-1',
      })
      expect(kim.status).toBe(201)
      // Another system's export: Kim's email changed there; Lee is new.
      await page.goto(`${ws.site.origin}/app/import`)
      await heading('Import contacts').waitFor()
      await page.getByLabel('CSV file').setInputFiles({
        name: 'sync.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('External ID,Name,Email\ncrm-1,Kim New,kim@new.example\ncrm-2,Lee Fresh,lee@new.example\n'),
      })
      await page.getByRole('table').getByText('kim@new.example').waitFor()
      const match = page.getByRole('group', { name: 'Match existing contacts by' })
      const radio = (name: string) => match.getByRole('radio', { name, exact: true })
      const status = page.getByTestId('import-status')
      const importFile = async (expected: string) => {
        await page.getByRole('button', { name: 'Import sync.csv' }).click()
        await expect.poll(() => status.innerText(), { timeout: 60_000 }).toBe(expected)
      }
      expect(await radio('Email').isChecked()).toBe(true)
      expect(await seriousAxeViolations(page)).toEqual([])
      // The choice fits a phone.
      await page.setViewportSize({ width: 390, height: 844 })
      try {
        expect(await pageOverflowPx(page)).toBe(0)
        await workspaceShot(page, 'import')
      } finally {
        await page.setViewportSize({ width: 1280, height: 800 })
      }

      // By email: no contact has Kim's new email, and her external id is another contact's: skipped.
      await importFile('1 created · 0 updated · 1 skipped · finished')
      expect((await ws.callApi<{ name: string }>('GET', `/api/v1/contacts/${kim.body.id}`)).body.name).toBe('Kim Old')

      // By external id: the email column is left out, and both rows find their contact.
      await radio('External id').check()
      expect(await page.getByLabel('Column “Email”').inputValue()).toBe('')
      await match.getByText('Not imported, to match by external id: “Email”.').waitFor()
      await importFile('0 created · 2 updated · 0 skipped · finished')
      const updated = await ws.callApi<{ name: string; email: string }>('GET', `/api/v1/contacts/${kim.body.id}`)
      expect(updated.body).toMatchObject({ name: 'Kim New', email: 'kim@old.example' })

      // None, chosen from the keyboard (arrow keys move within the group): every row creates a contact.
      await radio('External id').focus()
      await page.keyboard.press('ArrowDown')
      expect(await radio('None: always create').isChecked()).toBe(true)
      expect(await page.getByLabel('Column “External ID”').inputValue()).toBe('')
      await importFile('2 created · 0 updated · 0 skipped · finished')
      const named = await ws.callApi<{ data: { email: string | null; external_id: string | null }[] }>(
        'POST',
        '/api/v1/contacts/search',
        { filter: { field: 'name', op: 'eq', value: 'Lee Fresh' } },
      )
      expect(named.body.data).toHaveLength(2)
      expect(named.body.data.map((c) => [c.email, c.external_id])).toEqual(
        expect.arrayContaining([
          ['lee@new.example', 'crm-2'],
          [null, null],
        ]),
      )
      // Back to email: the column is mapped again.
      await radio('Email').check()
      expect(await page.getByLabel('Column “Email”').inputValue()).toBe('email')
      expect(await seriousAxeViolations(page)).toEqual([])
    } finally {
      await importWorker.stop()
    }
  }, 180_000)
})
