// The school's student list narrowed to a registry flag (学籍标记: 留守儿童): the list API is
// asked with flags=leftBehind and every student shown is a left-behind child.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { openMenu, settled, signIn, withPage } from '../lib/harness.mjs'

test('the student list narrows to left-behind children', async (t) => {
  await withPage(t, {}, async ({ page, shot }) => {
    await signIn(page, 'registrar')
    await openMenu(page, 'student-list', 'student-list-page')
    await settled(page)
    await page.getByTestId('student-flags').click()
    await page.getByTestId('student-flag-leftBehind').click()
    await page.keyboard.press('Escape')
    const listed = page.waitForResponse((r) => r.url().includes('/api/v1/students?') && r.url().includes('flags=leftBehind'))
    await page.getByTestId('student-search-submit').click()
    const body = await (await listed).json()
    assert.ok(body.items.every((s) => s.leftBehind > 0), 'a student who is not left behind was listed')
    await settled(page)
    const rows = await page.getByTestId('student-table').locator('.el-table__row').count()
    assert.equal(rows, body.items.length)
    await shot('student-flags')
  })
})
