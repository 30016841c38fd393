// (d) The school registrar imports an .xlsx roster (made here with ExcelJS) that has bad
// rows: the validate-only run's report lists them row by row; the fixed file validates
// clean and is imported.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import ExcelJS from 'exceljs'
import { openMenu, settled, signIn, state, withPage } from '../lib/harness.mjs'

const kHeaders = ['姓名', '性别', '出生日期', '民族', '身份证件类型', '身份证件号', '学校标识码', '年级', '班号', '入学年月',
  '监护人1姓名', '监护人1关系']

/** GB 11643 check character. @param {string} body17 */
function checkDigit(body17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * (weights[i] ?? 0)
  return '10X98765432'[sum % 11] ?? ''
}

/** Five boys born in 2018 at the registrar's school; `broken` spoils rows 4 and 5. */
function roster(broken) {
  const rows = []
  for (let i = 0; i < 5; i++) {
    const body = `${state.school.county}2018040${i + 1}${701 + 2 * i}`
    let id = body + checkDigit(body)
    let name = `导入测试${'一二三四五'[i]}`
    if (broken && i === 3) id = body + (checkDigit(body) === '0' ? '1' : '0') // wrong check digit
    if (broken && i === 4) name = '' // a required field left empty
    rows.push([name, '男', `2018-04-0${i + 1}`, '汉族', '居民身份证', id, state.school.code, '1', '02', '2025-09', '导入家长', '父亲'])
  }
  return rows
}

/** The roster as .xlsx bytes, every cell text (ID numbers must not become numbers). */
async function xlsx(rows) {
  const book = new ExcelJS.Workbook()
  const sheet = book.addWorksheet('学生名单')
  sheet.addRow(kHeaders)
  for (const r of rows) sheet.addRow(r)
  sheet.eachRow((row) => row.eachCell((cell) => { cell.numFmt = '@' }))
  return Buffer.from(await book.xlsx.writeBuffer())
}

const kMime = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** Chooses the file, checks the recognised headers, previews and runs the validation. */
async function validate(page, name, buffer) {
  await page.getByTestId('import-file').setInputFiles({ name, mimeType: kMime, buffer })
  await page.getByTestId('import-step-mapping').waitFor()
  assert.equal(await page.getByTestId('import-missing').count(), 0, 'a required column was not recognised')
  await page.getByTestId('import-next').click()
  await page.getByTestId('import-step-preview').waitFor()
  assert.match(await page.getByTestId('import-preview').innerText(), /导入测试一/)
  await page.getByTestId('import-validate').click()
  await page.getByTestId('import-step-run').waitFor()
  const status = page.locator('[data-testid="import-report-status"][data-status]')
  await status.waitFor({ timeout: 60000 })
  return status.getAttribute('data-status')
}

test('an .xlsx with bad rows: the report lists them; the fixed file is imported', async (t) => {
  await withPage(t, {}, async ({ page, shot }) => {
    await signIn(page, 'registrar')
    await openMenu(page, 'import-students', 'import-page')
    await page.getByTestId('import-step-file').waitFor()
    await shot('import-file')

    // Validate only: two rows refused, the rest importable; nothing written.
    assert.equal(await validate(page, '新生名单.xlsx', await xlsx(roster(true))), 'rejected')
    const report = page.getByTestId('import-report')
    const counts = await page.getByTestId('import-report-counts').innerText()
    assert.match(counts, /5/)
    const table = page.getByTestId('import-report-table')
    await table.locator('.el-table__row').first().waitFor()
    const errors = await table.innerText()
    // Row by row: the header is line 1, so data rows 4 and 5 are lines 5 and 6.
    assert.match(errors, /5\s+身份证件号\s+身份证件号\s+bad_check_digit/)
    assert.match(errors, /6\s+姓名\s+姓名\s+required/)
    assert.equal(await table.locator('.el-table__row').count(), 2)
    assert.match(await report.innerText(), /未写入任何数据/)
    await settled(page)
    await shot('import-report-rejected')

    // Fix the file and start over: it validates clean, then the import writes five students.
    await page.getByTestId('import-restart').click()
    await page.getByTestId('import-step-file').waitFor()
    assert.equal(await validate(page, '新生名单-已更正.xlsx', await xlsx(roster(false))), 'validated')
    await page.getByTestId('import-commit').click()
    await page.locator('[data-testid="import-report-status"][data-status="done"]').waitFor({ timeout: 60000 })
    assert.match(await page.getByTestId('import-report-counts').innerText(), /5/)
    await page.getByTestId('import-to-students').waitFor()
    await settled(page)
    await shot('import-done')

    // The imported students are in the registry.
    await page.getByTestId('import-to-students').click()
    await page.getByTestId('student-list-page').waitFor()
    await page.getByTestId('student-search').fill('导入测试')
    await page.getByTestId('student-search-submit').click()
    await page.getByTestId('student-table').locator('.el-table__row', { hasText: '导入测试五' }).waitFor()
    assert.equal(await page.getByTestId('student-table').locator('.el-table__row', { hasText: '导入测试' }).count(), 5)
  })
})
