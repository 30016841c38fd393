// (c) The school registrar registers a student (a wrong check digit in the ID comes back
// next to the ID field; fixed, the registration goes through), finds the student by
// search and reveals the masked ID ("显示"); the audit administrator then sees the
// student.view_sensitive entry of that read in the audit-log viewer.
// The tests of this file run in order: the audit test looks for the reveal's entry.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { account, openMenu, settled, signIn, state, withPage } from '../lib/harness.mjs'

/** GB 11643 check character of the first 17 digits. @param {string} body17 */
function checkDigit(body17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * (weights[i] ?? 0)
  return '10X98765432'[sum % 11] ?? ''
}
// Born 2018-03-15 in the school's county; the 17th digit odd: male.
const body17 = `${state.school.county}20180315123`
const goodId = body17 + checkDigit(body17)
const badId = body17 + (checkDigit(body17) === '0' ? '1' : '0')
const studentName = '韦测新'

/** Picks an option of an Element Plus select by its visible text. */
async function pick(page, testid, text) {
  await page.getByTestId(testid).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}

test('the school registrar registers a student: an ID error next to the field, fixed, registered, revealed', async (t) => {
  await withPage(t, { allowHttp: [422] }, async ({ page, shot }) => {
    await signIn(page, 'registrar')
    await openMenu(page, 'student-list', 'student-list-page')
    await page.getByTestId('student-new').click()
    await page.getByTestId('student-form-page').waitFor()
    await settled(page)
    await page.getByTestId('student-form-name').fill(studentName)
    await pick(page, 'student-form-gender', '男')
    await page.getByTestId('student-form-birthDate').fill('2018-03-15')
    await pick(page, 'student-form-ethnicity', '汉族')
    await pick(page, 'student-form-idType', '居民身份证')
    await page.getByTestId('student-form-idNumber').fill(badId)
    await pick(page, 'student-form-grade', '小学1年级')
    await page.getByTestId('student-form-classNo').fill('01')
    await page.getByTestId('student-form-entryDate').fill('2025-09')
    await page.getByTestId('student-form-guardian1Name').fill('韦测家')
    await pick(page, 'student-form-guardian1Relation', '父亲')
    // The school: the registrar's own, filled in already.
    assert.match(await page.getByTestId('student-form-section-enrolment').innerText(), new RegExp(state.school.code))

    const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/students') && r.request().method() === 'POST')
    await page.getByTestId('student-form-submit').click()
    const r = await refused
    assert.equal(r.status(), 422)
    const fields = (await r.json()).error.fields.map((f) => f.field)
    assert.ok(fields.includes('idNumber'), `fields: ${fields}`)
    const idError = page.getByTestId('student-form-error-idNumber')
    await idError.waitFor()
    assert.match(await idError.innerText(), /校验|证件|身份/)
    // The error sits in the ID field's own form item.
    const item = page.locator('.el-form-item', { has: page.getByTestId('student-form-idNumber') })
    assert.equal(await item.getByTestId('student-form-error-idNumber').count(), 1)
    await shot('student-form-id-error')

    await page.getByTestId('student-form-idNumber').fill(goodId)
    const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/students') && r.request().method() === 'POST')
    await page.getByTestId('student-form-submit').click()
    assert.equal((await created).status(), 201)
    await page.waitForURL((u) => u.pathname === `/student/G${goodId}`)
    await page.getByTestId('student-detail-page').waitFor()
    await settled(page)

    // Found by search from the list.
    await openMenu(page, 'student-list', 'student-list-page')
    await page.getByTestId('student-search').fill(studentName)
    const found = page.waitForResponse((r) => r.url().includes('/api/v1/students?') && r.url().includes('q='))
    await page.getByTestId('student-search-submit').click()
    assert.equal((await found).status(), 200)
    const row = page.getByTestId('student-table').locator('.el-table__row', { hasText: studentName })
    await row.waitFor()
    assert.equal(await row.count(), 1)
    assert.doesNotMatch(await row.innerText(), new RegExp(goodId)) // masked in the list
    await shot('student-search')

    // The record: the ID masked until "显示", which reads it again (audited).
    await row.locator('a', { hasText: /^G/ }).first().click()
    await page.getByTestId('student-detail-page').waitFor()
    await settled(page)
    const id = page.getByTestId('student-value-idNumber')
    assert.match(await id.innerText(), /\*/)
    await page.getByTestId('student-reveal-note').waitFor()
    const read = page.waitForResponse((r) => r.url().endsWith(`/api/v1/students/G${goodId}`))
    await page.getByTestId('student-reveal').click()
    assert.equal((await read).status(), 200)
    await page.getByTestId('student-hide').waitFor()
    assert.equal((await id.innerText()).trim(), goodId)
    await shot('student-revealed')
  })
})

test('the audit administrator sees the student.view_sensitive entry of the reveal', async (t) => {
  await withPage(t, { allowHttp: [401] }, async ({ page, shot }) => {
    await signIn(page, 'audit')
    // 三员分立: the audit administrator's menu has the audit log and none of the others.
    for (const other of ['student-list', 'org-tree', 'account-list', 'ops-status']) {
      assert.equal(await page.getByTestId(`menu-${other}`).count(), 0, `menu-${other} shown to the audit administrator`)
    }
    await openMenu(page, 'audit-log', 'audit-page')
    await settled(page)
    // The chain, checked by the server (entries and signed checkpoints, in the store and in
    // the file outside it), is intact.
    await page.locator('[data-testid="audit-verify-status"][data-ok="true"]').waitFor()
    await page.getByTestId('audit-filter-account').fill(account('registrar').login)
    await page.getByTestId('audit-filter-action').click()
    await page.keyboard.type('student.view_sensitive')
    await page.keyboard.press('Enter')
    const listed = page.waitForResponse((r) => r.url().includes('/api/v1/audit?') && r.url().includes('student.view_sensitive'))
    await page.getByTestId('audit-search').click()
    const entries = (await (await listed).json()).items
    assert.ok(entries.length > 0, 'no student.view_sensitive entry of the registrar')
    assert.ok(entries.every((e) => e.action === 'student.view_sensitive' && e.account === account('registrar').login))
    const table = page.getByTestId('audit-table')
    await table.locator('.el-table__row', { hasText: 'student.view_sensitive' }).first().waitFor()
    assert.match(await table.innerText(), new RegExp(account('registrar').login.replace('.', '\\.')))
    await shot('audit-log')
  })
})
