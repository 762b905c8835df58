import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { AxeBuilder } from '@axe-core/playwright'
import type { Page } from 'playwright-core'
import { VIEWPORTS, type ViewportWidth, WIDTHS } from './browser'

/** Node only (test harness). Screenshots and accessibility checks, at both widths. */
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, 'screenshots')

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

export async function setWidth(page: Page, width: ViewportWidth): Promise<void> {
  await page.setViewportSize(VIEWPORTS[width])
  // Let layout settle for the new width before anything is measured or captured.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))))
}

/** Saves `e2e/screenshots/<name>-<width>.png` (the whole page) and returns its path. */
export async function screenshot(page: Page, name: string, width: ViewportWidth): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const file = path.join(SCREENSHOT_DIR, `${name}-${width}.png`)
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' })
  return file
}

/**
 * Runs axe (WCAG 2.0–2.2, A and AA) on the page as it is; resolves to readable violations, [] when clean.
 * Legacy mode runs axe inside the page in one go. The default mode also opens a blank page per run to
 * merge per-frame results, which triples the time; the app has no frames, so the result is the same.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).setLegacyMode(true).analyze()
  return results.violations.map((violation) => {
    const nodes = violation.nodes
      .map(
        (node) =>
          `    - ${node.target.join(' ')}\n      ${node.failureSummary?.replace(/\n/g, '\n      ') ?? ''}`,
      )
      .join('\n')
    return `${violation.id} (${violation.impact ?? 'unknown impact'}): ${violation.help}\n  ${violation.helpUrl}\n${nodes}`
  })
}

/**
 * At 390 px and at 1280 px: save a screenshot, and collect axe violations (labelled by width) at the
 * widths in `axeAt` (both by default; a state whose layout the shell checks already cover may run
 * axe at one width to keep the suite fast). Leaves the page at 390 px.
 */
export async function checkBothWidths(
  page: Page,
  name: string,
  axeAt: readonly ViewportWidth[] = WIDTHS,
): Promise<string[]> {
  const violations: string[] = []
  for (const width of [...WIDTHS].reverse()) {
    await setWidth(page, width)
    await screenshot(page, name, width)
    if (!axeAt.includes(width)) continue
    for (const v of await axeViolations(page)) violations.push(`[${name} at ${width} px] ${v}`)
  }
  return violations
}

/** For `expect(list, readable(list)).toEqual([])`: one problem per paragraph. */
export function readable(problems: readonly string[]): string {
  return problems.length === 0 ? 'none' : `\n${problems.join('\n\n')}\n`
}
