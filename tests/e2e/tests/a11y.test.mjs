// (g) axe-core on the main screens: no serious or critical violation. Every violation
// found (any impact) is written to <out>/axe-<screen>.json and listed in the test output.
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { test } from 'node:test'
import { finishAnimations, openMenu, settled, signIn, state, withPage } from '../lib/harness.mjs'

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/**
 * Runs axe on the page as it is. The script is evaluated through the DevTools protocol,
 * which the page's CSP does not govern (a <script> tag from page.addScriptTag would be
 * refused by script-src 'self' and show up as a CSP violation).
 */
async function audit(t, page, screen) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource)
  // Colours are judged as they end, not halfway through a transition (a radio button just
  // clicked fades from white to the primary colour).
  await finishAnimations(page)
  await page.locator('.el-dialog.is-closing').first().waitFor({ state: 'detached' }).catch(() => {})
  /** @type {{id:string,impact:string,help:string,nodes:{target:string[],data:any}[]}[]} */
  const violations = await page.evaluate(async () => {
    // @ts-ignore injected above
    const r = await window.axe.run(document, { resultTypes: ['violations'] })
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, data: n.any[0]?.data ?? null })) }))
  })
  writeFileSync(join(state.out, `axe-${screen}.json`), JSON.stringify(violations, null, 2))
  for (const v of violations) t.diagnostic(`axe ${screen}: ${v.impact} ${v.id} — ${v.help} (${v.nodes.length}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`)
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  assert.deepEqual(serious.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [],
    `axe found serious or critical violations on ${screen}`)
}

test('axe: the login page', async (t) => {
  await withPage(t, {}, async ({ page }) => {
    await page.goto(state.base + '/login')
    await page.getByTestId('login-username').waitFor()
    await audit(t, page, 'login')
  })
})

test('axe: the home page', async (t) => {
  await withPage(t, {}, async ({ page }) => {
    await signIn(page, 'a11y')
    await settled(page)
    await audit(t, page, 'home')
  })
})

test('axe: the student list', async (t) => {
  await withPage(t, {}, async ({ page }) => {
    await signIn(page, 'a11y')
    await openMenu(page, 'student-list', 'student-list-page')
    await page.getByTestId('student-table').locator('.el-table__row').first().waitFor()
    await settled(page)
    await audit(t, page, 'student-list')
  })
})

test('axe: a statistical form and the students behind a cell', async (t) => {
  await withPage(t, {}, async ({ page }) => {
    await signIn(page, 'a11y')
    await openMenu(page, 'stats-forms', 'forms-page')
    await page.getByTestId('forms-table').waitFor()
    const now = page.waitForResponse((r) => r.url().includes('/api/v1/stats/forms/') && r.url().includes('asOf='))
    await page.getByTestId('forms-asof-now').click()
    await now
    await settled(page)
    await audit(t, page, 'stats-form')
    // The figure by keyboard, then the list of its students.
    await page.getByTestId('forms-cell-01-7').getByRole('button').focus()
    await page.keyboard.press('Enter')
    await page.getByTestId('forms-drill-students').click()
    await page.getByTestId('forms-students-table').locator('.el-table__row').first().waitFor()
    await settled(page)
    await audit(t, page, 'form-students')
  })
})

test('axe: the public school directory', async (t) => {
  await withPage(t, { viewport: { width: 375, height: 667 }, isMobile: true }, async ({ page }) => {
    await page.goto(state.base + '/public')
    await page.getByTestId('public-directory').waitFor()
    await settled(page)
    await audit(t, page, 'public')
  })
})
