// (z) 新学年分班 through the portal: run.mjs imports a school of three first-graders, all in
// class 01. Its registrar reads a .csv class list from a file (header 学籍号,班号) into the
// page; a list naming an unknown number is refused with the row's problem and nothing
// changes; the right list is previewed (2 to change, 1 in its class already), then
// assigned; the student's page shows the new class, and the same list again changes
// nothing.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { openMenu, settled, signIn, state, withPage } from '../lib/harness.mjs'

const { school, pupils } = state.classes
const isAssign = (/** @type {import('playwright-core').Response} */ r) =>
  new URL(r.url()).pathname === '/api/v1/class-assignments' && r.request().method() === 'POST'

test('a school reads its class list from a file, previews it and assigns the classes', async (t) => {
  assert.equal(pupils.length, 3)
  await withPage(t, { allowHttp: [422] }, async ({ page, shot }) => {
    await signIn(page, 'classes.registrar')
    await openMenu(page, 'class-assignment', 'classes-page')
    await settled(page)

    // A wrong list first: an unknown number is named on its row; nothing is written.
    await page.getByTestId('classes-list').fill(`${pupils[0].number}\t03\nG440106201905019999\t02`)
    const refused = page.waitForResponse(isAssign)
    await page.getByTestId('classes-preview').click()
    const bad = await refused
    assert.equal(bad.status(), 422)
    const error = (await bad.json()).error
    assert.deepEqual(error.fields.map((/** @type {any} */ f) => [f.field, f.code]), [['students[1].studentNumber', 'not_found']])
    await page.getByTestId('classes-problem').filter({ hasText: '第 2 行' }).waitFor()
    assert.equal(await page.getByTestId('classes-apply').isDisabled(), true)

    // The list from a .csv file with its header row, as a school keeps it.
    const csv = `学籍号,班号\r\n${pupils[0].number},03\r\n${pupils[1].number},02\r\n${pupils[2].number},01\r\n`
    await page.getByTestId('classes-file').setInputFiles({ name: '分班名单.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await page.waitForFunction(() => (document.querySelector('[data-testid="classes-list"]')?.value ?? '').split('\n').length === 3)
    assert.equal(await page.getByTestId('classes-list').inputValue(),
      `${pupils[0].number}\t03\n${pupils[1].number}\t02\n${pupils[2].number}\t01`)

    const previewed = page.waitForResponse(isAssign)
    await page.getByTestId('classes-preview').click()
    const dry = await previewed
    assert.equal(dry.status(), 200)
    assert.equal(JSON.parse(dry.request().postData() ?? '{}').dryRun, true)
    const preview = await dry.json()
    assert.deepEqual(preview.total, { assigned: 2, unchanged: 1 })
    assert.deepEqual(preview.schools, [{ school: school.code, assigned: 2, unchanged: 1 }])
    await page.getByTestId('classes-report').filter({ hasText: '将调整 2 名学生的班号' }).waitFor()
    await shot('classes-preview')

    const applied = page.waitForResponse(isAssign)
    await page.getByTestId('classes-apply').click()
    const done = await applied
    assert.equal(done.status(), 200)
    assert.deepEqual((await done.json()).total, { assigned: 2, unchanged: 1 })
    await page.getByTestId('classes-report').filter({ hasText: '已调整 2 名学生的班号' }).waitFor()

    // The same list again changes nothing.
    const second = page.waitForResponse(isAssign)
    await page.getByTestId('classes-preview').click()
    assert.deepEqual((await (await second).json()).total, { assigned: 0, unchanged: 3 })
    const rerun = page.waitForResponse(isAssign)
    await page.getByTestId('classes-apply').click()
    assert.deepEqual((await (await rerun).json()).total, { assigned: 0, unchanged: 3 })
    await page.getByTestId('classes-report').filter({ hasText: '已调整 0 名学生的班号' }).waitFor()

    await page.goto(`${state.base}/student/${pupils[0].number}`)
    await page.getByTestId('student-detail-page').waitFor()
    await page.getByTestId('student-value-classNo').filter({ hasText: /^03$/ }).waitFor()
  })
})
