// (e) The ad hoc analysis (统计分析 → 自定义分析): the county's officer builds the county's
// first-graders by school × gender through the pickers; the pivot's grand total and a cell
// are what GET /api/v1/stats/students answers for the same query (asked through the same
// session), the chart is drawn, the link reproduces the analysis, the CSV and Excel exports
// hold the pivot, and a day that is not over or a malformed filter is explained in Chinese.
import assert from 'node:assert/strict'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { test } from 'node:test'
import ExcelJS from 'exceljs'
import { openMenu, settled, signIn, state, withPage } from '../lib/harness.mjs'

const digits = (/** @type {string} */ s) => Number(s.replace(/[^\d]/g, ''))
const isCounts = (/** @type {import('playwright-core').Response} */ r) => new URL(r.url()).pathname === '/api/v1/stats/students'

/** Picks the option `optionTestId` of the Element Plus select `selectTestId`. */
async function pick(page, selectTestId, optionTestId) {
  await page.getByTestId(selectTestId).click()
  const option = page.getByTestId(optionTestId)
  await option.waitFor()
  await option.click()
}

test('the ad hoc analysis: county first-graders by school × gender, as the API counts them, charted and exported', async (t) => {
  await withPage(t, { allowHttp: [400] }, async ({ page, shot }) => {
    const { school } = state
    await signIn(page, 'county')
    // Opens with the default analysis (grade × gender of the caller's scope).
    const first = page.waitForResponse(isCounts)
    await openMenu(page, 'stats-analysis', 'analysis-page')
    const byDefault = await (await first).json()
    assert.equal(byDefault.org, school.county)
    await page.getByTestId('analysis-table').waitFor()

    // Rows: school; columns: gender (the default); a filter grade = 1 (小学1年级).
    await pick(page, 'analysis-rows', 'analysis-rows-school')
    await pick(page, 'analysis-cols', 'analysis-cols-gender')
    await page.getByTestId('analysis-add-filter').click()
    await pick(page, 'analysis-filter-values-0', 'analysis-filter-value-0-1')
    await page.keyboard.press('Escape')
    const asked = page.waitForResponse((r) => isCounts(r) && new URL(r.url()).searchParams.get('by') === 'school,gender')
    await page.getByTestId('analysis-run').click()
    const answer = await asked
    assert.equal(new URL(answer.url()).searchParams.get('filter'), 'grade=1')
    assert.equal(answer.status(), 200)
    await page.waitForURL((u) => u.searchParams.get('rows') === 'school' && u.searchParams.get('filter') === 'grade=1')
    await settled(page)

    // The same query through the same session: the figures the page must show.
    const api = await (await page.request.get(
      new URL(`/api/v1/stats/students?org=${school.county}&by=school,gender&filter=${encodeURIComponent('grade=1')}`, page.url()).href)).json()
    assert.ok(api.total > 0, `the county has first-graders (${api.total})`)
    const byGrade = await (await page.request.get(new URL(`/api/v1/stats/students?org=${school.county}&by=grade`, page.url()).href)).json()
    assert.equal(api.total, byGrade.rows.find((r) => r.grade === 1)?.count, 'the filter keeps grade 1 only')
    assert.equal(digits(await page.getByTestId('analysis-grand').innerText()), api.total)
    const cell = api.rows.find((r) => r.school === school.code) ?? api.rows[0]
    assert.equal(digits(await page.getByTestId(`analysis-cell-${cell.school}-${cell.gender}`).innerText()), cell.count)
    const schoolTotal = api.rows.filter((r) => r.school === cell.school).reduce((n, r) => n + r.count, 0)
    assert.equal(digits(await page.getByTestId(`analysis-rowtotal-${cell.school}`).innerText()), schoolTotal)
    const girls = api.rows.filter((r) => r.gender === 2).reduce((n, r) => n + r.count, 0)
    assert.equal(digits(await page.getByTestId('analysis-coltotal-2').innerText()), girls)
    // Labels: genders as 男/女, the school by its name (the county officer reads institutions).
    assert.match(await page.getByTestId('analysis-table').locator('thead').innerText(), /学校 \\ 性别[\s\S]*男[\s\S]*女[\s\S]*合计/)
    if (cell.school === school.code) {
      await page.waitForFunction(([code, name]) =>
        document.querySelector(`[data-testid="analysis-row-${code}"]`)?.textContent?.includes(name), [school.code, school.name])
    }
    // The chart: stacked bars on a canvas, described (ECharts' aria) with the counts.
    const chart = page.getByTestId('analysis-chart')
    await chart.locator('canvas').first().waitFor()
    await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="analysis-chart"]')?.getAttribute('aria-label') ?? ''))
    await shot('analysis-county-school-gender')

    // CSV: UTF-8 with a BOM, the header as shown, the totals row ending with the grand total.
    const dir = await mkdtemp(`${tmpdir()}/nemis-analysis-`)
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('analysis-export-csv').click()])
    assert.match(csvDownload.suggestedFilename(), /\.csv$/)
    await csvDownload.saveAs(`${dir}/pivot.csv`) // the browser may run apart from the test
    const bytes = await readFile(`${dir}/pivot.csv`)
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf])
    const lines = bytes.toString('utf8').slice(1).trim().split(/\r\n/)
    assert.match(lines[0], /^学校 \\ 性别,男,女,合计$/)
    assert.equal(lines.length, new Set(api.rows.map((r) => r.school)).size + 2)
    assert.equal(lines.at(-1), `合计,${api.rows.filter((r) => r.gender === 1).reduce((n, r) => n + r.count, 0)},${girls},${api.total}`)

    // Excel: the same pivot (counts as numbers) and the query on a second sheet.
    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('analysis-export-xlsx').click()])
    assert.match(xlsxDownload.suggestedFilename(), /\.xlsx$/)
    await xlsxDownload.saveAs(`${dir}/pivot.xlsx`)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(`${dir}/pivot.xlsx`)
    const sheet = wb.worksheets[0]
    assert.equal(sheet.getCell(1, 1).value, '学校 \\ 性别')
    assert.equal(sheet.getCell(sheet.rowCount, 4).value, api.total)
    assert.match(String(wb.worksheets[1]?.getCell(6, 2).value), /年级 = 小学1年级/)

    // The link reproduces the analysis.
    const link = page.url()
    const again = page.waitForResponse((r) => isCounts(r) && new URL(r.url()).searchParams.get('filter') === 'grade=1')
    await page.goto(link)
    assert.equal((await again).status(), 200)
    await page.getByTestId('analysis-grand').waitFor()
    assert.equal(digits(await page.getByTestId('analysis-grand').innerText()), api.total)
    assert.deepEqual(await page.getByTestId('analysis-filter-values-0').locator('.el-select__tags-text').allInnerTexts(), ['小学1年级'])

    // A day that is not over (today, Beijing time): 400 as_of_not_past, said in Chinese.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
    const refused = page.waitForResponse((r) => isCounts(r) && new URL(r.url()).searchParams.get('asOf') === today)
    await page.goto(`${state.base}/stats/analysis?rows=grade&cols=gender&asOf=${today}`)
    const refusal = await refused
    assert.equal(refusal.status(), 400)
    assert.equal((await refusal.json()).error.code, 'as_of_not_past')
    await page.getByTestId('analysis-error').waitFor()
    assert.match(await page.getByTestId('analysis-error').innerText(), new RegExp(`统计日期 ${today} 不是已经过去的日期`))
    await shot('analysis-as-of-not-past')

    // A malformed filter in a link: 400 bad_filter, naming the condition.
    const badFilter = page.waitForResponse((r) => isCounts(r) && new URL(r.url()).searchParams.get('filter') === 'grade=x')
    await page.goto(`${state.base}/stats/analysis?rows=grade&cols=&filter=${encodeURIComponent('grade=x')}`)
    assert.equal((await badFilter).status(), 400)
    await page.getByTestId('analysis-error').waitFor()
    assert.match(await page.getByTestId('analysis-error').innerText(), /筛选条件“grade=x”的值应为整数/)
  })
})
