import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { shouldWriteScreenshot } from './chromium.js'

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  targets: string[]
}

/**
 * Runs axe-core on the page as it is and returns the serious and critical violations. Injected
 * through the DevTools protocol (page.evaluate), which the page's strict CSP does not govern: the
 * dashboard's own scripts stay under it.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  type Found = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }
  return page.evaluate(async (source) => {
    const w = window as unknown as { axe?: { run(ctx: Document, opts: object): Promise<{ violations: Found[] }> } }
    // biome-ignore lint/security/noGlobalEval: axe-core's own file, run in the test's browser only
    if (!w.axe) globalThis.eval(source)
    const result = await w.axe!.run(document, { resultTypes: ['violations'] })
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }))
  }, axeSource)
}

const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))

/** docs/screenshots/workspace-b-<name>-<width>.png, when missing or RAPPORT_SCREENSHOTS=1. */
export async function workspaceShot(page: Page, name: string): Promise<void> {
  const width = page.viewportSize()?.width ?? 0
  const path = `${SCREENSHOTS}workspace-b-${name}-${width}.png`
  if (shouldWriteScreenshot(path)) await page.screenshot({ path, fullPage: true })
}

/** How far the page scrolls sideways: 0 when nothing is wider than the screen (the board scrolls inside itself). */
export async function pageOverflowPx(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
}
