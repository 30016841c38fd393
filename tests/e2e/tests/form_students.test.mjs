// (issue 11 §2) The students behind a figure of a statistical form: the county registrar
// (student.view) opens, from the drill-down of 教基3112's 总计 × 在校生数 now, the list of
// the pupils the cell counts (count = the cell = the API's total, 50 a page, numbers
// masked, a student's link opens the student page); a graduates cell says it has no list
// (422 cell_not_listable); a class-count form (教基2106) offers no list; a statistician
// (stats.view without student.view) gets no list and the API refuses it (403).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { openMenu, settled, signIn, state, withPage } from '../lib/harness.mjs'

const kPageSize = 50
const digits = (/** @type {string} */ text) => Number(text.replace(/[^\d]/g, ''))

/** Opens 统计报表 and switches to "now" (the node's data was made today). Returns the form. */
async function formNow(/** @type {import('playwright-core').Page} */ page) {
  await openMenu(page, 'stats-forms', 'forms-page')
  await page.getByTestId('forms-table').waitFor()
  const now = page.waitForResponse((r) => r.url().includes('/api/v1/stats/forms/') && r.url().includes('asOf='))
  await page.getByTestId('forms-asof-now').click()
  const response = await now
  assert.equal(response.status(), 200)
  return response.json()
}

/** The value of the form's cell (row, column codes). */
function cellOf(form, row, column) {
  const r = form.rows.find((x) => x.code === row)
  const j = form.columns.findIndex((c) => c.code === column)
  assert.ok(r && j >= 0, `cell ${row} × ${column} of ${form.form}`)
  return r.cells[j]
}

/** Waits until the grid shows `n` in the cell (row, column). */
async function cellShows(page, row, column, n) {
  await page.waitForFunction(
    ([id, v]) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.replace(/[^\d]/g, '') === String(v),
    [`forms-cell-${row}-${column}`, n])
}

test('the county registrar lists the students behind a form cell and opens one', async (t) => {
  await withPage(t, { allowHttp: [422] }, async ({ page, shot }) => {
    const { school } = state
    await signIn(page, 'county')
    const form = await formNow(page)
    assert.equal(form.form, '教基3112')
    assert.equal(form.org, school.county)
    const value = cellOf(form, '01', '7') // 总计 × 在校生数
    assert.ok(typeof value === 'number' && value > kPageSize, `在校生数 ${value}`)
    await cellShows(page, '01', '7', value)
    await page.getByTestId('forms-students-hint').waitFor()

    // The figure by keyboard: its button takes the focus, Enter opens the drill-down.
    const drilled = page.waitForResponse((r) => r.url().includes('/cells?'))
    await page.getByTestId('forms-cell-01-7').getByRole('button').focus()
    await page.keyboard.press('Enter')
    assert.equal((await drilled).status(), 200)
    const action = page.getByTestId('forms-drill').getByTestId('forms-drill-students')
    await action.waitFor()
    const listed = page.waitForResponse((r) => r.url().includes('/cells/students?'))
    await action.click()
    const first = await (await listed).json()
    assert.equal(first.total, value)
    assert.equal(first.offset, 0)
    assert.equal(first.hidden, 0) // now: every pupil counted is in the county
    assert.equal(first.items.length, Math.min(kPageSize, first.total))

    const dialog = page.getByTestId('forms-students')
    await dialog.getByTestId('forms-students-table').locator('.el-table__row').first().waitFor()
    await settled(page)
    assert.match(await dialog.getByTestId('forms-students-title').innerText(), /教基3112[\s\S]*总计[\s\S]*在校生数/)
    assert.equal(digits(await dialog.getByTestId('forms-students-total').innerText()), value)
    assert.match(await dialog.innerText(), new RegExp(form.asOf))
    assert.equal(await dialog.getByTestId('forms-students-table').locator('.el-table__row').count(), Math.min(kPageSize, value))
    // The county registrar sees resident-ID numbers masked (the server's masking, kept).
    const firstRow = await dialog.getByTestId('forms-students-table').locator('.el-table__row').first().innerText()
    assert.match(firstRow, new RegExp(first.items[0].name))
    if (first.items[0].studentNumber.startsWith('G')) assert.match(firstRow, /G\d{4}\*+\d{3}[\dX]/)
    assert.equal(await dialog.getByTestId('forms-students-past').count(), 0) // today, not a past point
    await shot('form-students')

    // A student whose number addresses it (J/L numbers are not masked): find its page
    // through the API, go there with the pager, and open the student.
    const all = []
    for (let offset = 0; offset < value; offset += 500) {
      const url = new URL(`/api/v1/stats/forms/${encodeURIComponent('教基3112')}/cells/students`, page.url())
      for (const [k, v] of Object.entries({ org: form.org, asOf: form.asOf, row: '01', column: '7', offset: String(offset), limit: '500' })) url.searchParams.set(k, v)
      const r = await page.request.get(url.href)
      assert.equal(r.status(), 200)
      all.push(...(await r.json()).items)
    }
    assert.equal(all.length, value)
    const at = all.findIndex((s) => !s.studentNumber.includes('*'))
    assert.ok(at >= 0, 'a student of the county with an unmasked (J or L) number')
    const target = all[at]
    const pageNo = Math.floor(at / kPageSize) + 1
    if (pageNo > 1) {
      const turned = page.waitForResponse((r) => r.url().includes('/cells/students?') && r.url().includes(`offset=${(pageNo - 1) * kPageSize}`))
      const jump = dialog.getByTestId('forms-students-pager').locator('.el-pagination__jump input')
      await jump.fill(String(pageNo))
      await jump.press('Enter')
      const later = await (await turned).json()
      assert.equal(later.total, value)
      assert.equal(later.items.length, Math.min(kPageSize, value - (pageNo - 1) * kPageSize))
    }
    const link = dialog.getByTestId(`forms-students-link-${target.studentNumber}`)
    await link.waitFor()
    assert.equal((await link.innerText()).trim(), target.studentNumber)
    await link.click()
    await page.waitForURL((u) => decodeURIComponent(u.pathname).endsWith(`/student/${target.studentNumber}`))
    await page.getByTestId('student-detail-page').waitFor()
    await page.getByText(target.name).first().waitFor()
    await settled(page)
  })
})

test('graduates and class counts have no student list', async (t) => {
  await withPage(t, { allowHttp: [422] }, async ({ page }) => {
    await signIn(page, 'county')
    const form = await formNow(page)
    // 毕业生数 (a period item): the action is there, the server refuses, the dialog says why.
    const graduates = cellOf(form, '01', '1')
    assert.equal(typeof graduates, 'number')
    await cellShows(page, '01', '1', graduates)
    await page.getByTestId('forms-cell-01-1').click()
    await page.getByTestId('forms-drill').getByTestId('forms-drill-students').click()
    await page.getByTestId('forms-students-error').waitFor()
    assert.match(await page.getByTestId('forms-students-error').innerText(), /不能列出学生名单/)
    assert.equal(await page.getByTestId('forms-students-table').count(), 0)
    await page.getByTestId('forms-students').getByRole('button', { name: /关闭|Close/ }).click()
    await page.getByTestId('forms-students-error').waitFor({ state: 'hidden' })

    // 教基2106 counts classes: a figure drills down, but offers no student list.
    const classes = page.waitForResponse((r) => r.url().includes(encodeURIComponent('教基2106')) && r.url().includes('asOf='))
    await page.getByTestId('forms-select').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '教基2106' }).first().click()
    const classForm = await (await classes).json()
    assert.equal(classForm.form, '教基2106')
    const count = cellOf(classForm, '01', '1')
    assert.ok(typeof count === 'number' && count > 0, `classes ${count}`)
    await cellShows(page, '01', '1', count)
    assert.equal(await page.getByTestId('forms-students-hint').count(), 0)
    const drilled = page.waitForResponse((r) => r.url().includes('/cells?'))
    await page.getByTestId('forms-cell-01-1').click()
    await drilled
    await page.getByTestId('forms-drill').locator('.el-table').waitFor()
    assert.equal(await page.getByTestId('forms-drill-students').count(), 0)
  })
})

test('a statistician (no student.view) gets no student list', async (t) => {
  await withPage(t, {}, async ({ page }) => {
    const { submission } = state
    await signIn(page, 'stats.county')
    const form = await formNow(page)
    assert.equal(form.org, submission.county)
    const value = cellOf(form, '01', '7')
    assert.equal(typeof value, 'number')
    await cellShows(page, '01', '7', value)
    assert.equal(await page.getByTestId('forms-students-hint').count(), 0)
    const drilled = page.waitForResponse((r) => r.url().includes('/cells?'))
    await page.getByTestId('forms-cell-01-7').click()
    assert.equal((await drilled).status(), 200)
    await page.getByTestId('forms-drill').locator('.el-table').waitFor()
    assert.equal(await page.getByTestId('forms-drill-students').count(), 0)
    // Nor does the API list them for it.
    const url = new URL(`/api/v1/stats/forms/${encodeURIComponent('教基3112')}/cells/students`, page.url())
    for (const [k, v] of Object.entries({ org: form.org, asOf: form.asOf, row: '01', column: '7' })) url.searchParams.set(k, v)
    assert.equal((await page.request.get(url.href)).status(), 403)
  })
})
