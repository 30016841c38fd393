// (e) The ad hoc analysis (统计分析 → 自定义分析): the county's officer builds the county's
// first-graders by school × gender through the pickers; the pivot's grand total and a cell
// are what GET /api/v1/stats/students answers for the same query (asked through the same
// session), the chart is drawn, the link reproduces the analysis, the CSV and Excel exports
// hold the pivot, and a day that is not over or a malformed filter is explained in Chinese.
// (e') The measures: 班数 by grade × gender, where a class of boys and girls is in both
// gender columns, so that its row totals and the grand total are not sums of the cells:
// every cell and total is the API's own (the row-only and column-only groupings, the top
// level), in the table, the CSV and the workbook; 平均班额 (picked by keyboard) is the
// API's students ÷ classes to one decimal; the measure is in the URL and a reload keeps it.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { mkdtemp, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { test } from 'node:test'
import ExcelJS from 'exceljs'
import { finishAnimations, openMenu, settled, signIn, state, withPage } from '../lib/harness.mjs'

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

// ---- measures -----------------------------------------------------------------------

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
/** A figure as the page shows it (thousands separators, one decimal for a class size). */
const figure = (/** @type {string} */ s) => Number(s.replace(/[^\d.]/g, ''))
/** Students ÷ classes to one decimal, half up (the page's rounding: pivot.ts classSize). */
const classSize = (/** @type {number} */ students, /** @type {number} */ classes) => (Math.round((students * 10) / classes) / 10).toFixed(1)
const key = (/** @type {unknown} */ v) => (v === null || v === undefined ? 'null' : String(v))
const byOf = (/** @type {import('playwright-core').Response} */ r) => new URL(r.url()).searchParams.get('by')
const measuresOf = (/** @type {import('playwright-core').Response} */ r) => new URL(r.url()).searchParams.get('measures')

/** The page's three requests of a measure that does not add up: the pivot, by its rows alone, by its columns alone. */
function threeRequests(page, measures) {
  return Promise.all(['grade,gender', 'grade', 'gender'].map((by) =>
    page.waitForResponse((r) => isCounts(r) && byOf(r) === by && measuresOf(r) === measures)))
}

/** GET /api/v1/stats/students through the page's session. */
async function counts(page, query) {
  const res = await page.request.get(new URL(`/api/v1/stats/students?${query}`, page.url()).href)
  assert.equal(res.status(), 200, query)
  return res.json()
}

/** axe on the measure picker (its label, its radio buttons): no serious or critical violation. */
async function auditMeasurePicker(t, page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource)
  await finishAnimations(page)
  /** @type {{id:string,impact:string,help:string,targets:string[]}[]} */
  const violations = await page.evaluate(async () => {
    // @ts-ignore injected above
    const r = await window.axe.run({ include: [['[data-testid="analysis-measure-item"]']] }, { resultTypes: ['violations'] })
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }))
  })
  for (const v of violations) t.diagnostic(`axe analysis-measure: ${v.impact} ${v.id} — ${v.help} (${v.targets.join(', ')})`)
  assert.deepEqual(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.targets.join(', ')}`), [])
}

test('the ad hoc analysis by measure: classes by grade × gender with the API\'s own totals, and the average class size', async (t) => {
  await withPage(t, {}, async ({ page, shot }) => {
    const { school } = state
    await signIn(page, 'county')
    await openMenu(page, 'stats-analysis', 'analysis-page')
    await page.getByTestId('analysis-table').waitFor()
    await settled(page)
    // The picker: labelled, 学生数 by default, four measures in Chinese.
    const picker = page.getByTestId('analysis-measure')
    assert.equal(await picker.getAttribute('role'), 'radiogroup')
    assert.match(await page.getByTestId('analysis-measure-item').innerText(), /统计指标[\s\S]*学生数[\s\S]*班数[\s\S]*有学生的学校数[\s\S]*平均班额/)
    assert.equal(await page.getByTestId('analysis-measure-students').locator('input').isChecked(), true)
    await auditMeasurePicker(t, page)

    // 班数, grade × gender (the default rows and columns): three requests, the URL says classes.
    await page.getByTestId('analysis-measure-classes').click()
    const asked = threeRequests(page, 'classes')
    await page.getByTestId('analysis-run').click()
    for (const r of await asked) {
      assert.equal(r.status(), 200)
      assert.equal(new URL(r.url()).searchParams.get('status'), 'current')
    }
    await page.waitForURL((u) => u.searchParams.get('measure') === 'classes')
    await page.getByTestId('analysis-measure-note').waitFor()
    await settled(page)

    const cells = await counts(page, `org=${school.county}&by=grade,gender&status=current&measures=classes`)
    const byRow = await counts(page, `org=${school.county}&by=grade&status=current&measures=classes`)
    const byCol = await counts(page, `org=${school.county}&by=gender&status=current&measures=classes`)
    assert.ok(cells.classes > 0, `the county has classes (${cells.classes})`)
    assert.equal(byRow.classes, cells.classes)
    assert.equal(byCol.classes, cells.classes)
    const sumOfCells = cells.rows.reduce((n, r) => n + r.classes, 0)
    // Boys and girls share classes: the cells count such a class twice, the totals once.
    assert.ok(sumOfCells > cells.classes, `mixed classes make the cells add up to more (${sumOfCells}) than the classes (${cells.classes})`)

    const grades = [...new Set(cells.rows.map((r) => key(r.grade)))]
    const genders = [...new Set(cells.rows.map((r) => key(r.gender)))]
    assert.equal(await page.locator('[data-testid^="analysis-rowtotal-"]').count(), grades.length, 'one row per grade')
    assert.equal(await page.locator('[data-testid^="analysis-coltotal-"]').count(), genders.length, 'one column per gender')
    for (const g of grades) {
      for (const s of genders) {
        const want = cells.rows.find((r) => key(r.grade) === g && key(r.gender) === s)?.classes ?? 0
        assert.equal(figure(await page.getByTestId(`analysis-cell-${g}-${s}`).innerText()), want, `classes of grade ${g} × gender ${s}`)
      }
      const row = byRow.rows.find((r) => key(r.grade) === g)
      const shown = figure(await page.getByTestId(`analysis-rowtotal-${g}`).innerText())
      assert.equal(shown, row?.classes, `classes of grade ${g}`)
      const rowSum = cells.rows.filter((r) => key(r.grade) === g).reduce((n, r) => n + r.classes, 0)
      if (rowSum !== row?.classes) assert.notEqual(shown, rowSum, `grade ${g}: not the sum of its cells`)
    }
    for (const s of genders) {
      assert.equal(figure(await page.getByTestId(`analysis-coltotal-${s}`).innerText()), byCol.rows.find((r) => key(r.gender) === s)?.classes,
        `classes of gender ${s}`)
    }
    const grand = figure(await page.getByTestId('analysis-grand').innerText())
    assert.equal(grand, cells.classes, 'the grand total is the API\'s classes')
    assert.notEqual(grand, sumOfCells, 'the grand total is not the sum of the cells')
    assert.match(await page.getByTestId('analysis-total').innerText(), new RegExp(`合计 ${cells.classes} 个班`))
    assert.match(await page.getByTestId('analysis-measure-note').innerText(), /不是各格之和/)
    assert.match(await page.getByTestId('analysis-chart').getAttribute('aria-label') ?? '', /\d/)
    await shot('analysis-classes')

    // The exports: the same figures, totals included.
    const dir = await mkdtemp(`${tmpdir()}/nemis-analysis-`)
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('analysis-export-csv').click()])
    assert.match(csvDownload.suggestedFilename(), /班数.*\.csv$/)
    await csvDownload.saveAs(`${dir}/classes.csv`)
    const lines = (await readFile(`${dir}/classes.csv`, 'utf8')).slice(1).trim().split(/\r\n/)
    assert.equal(lines[0], '年级 \\ 性别,男,女,合计')
    const colTotal = (/** @type {number} */ g) => byCol.rows.find((r) => r.gender === g)?.classes ?? 0
    assert.equal(lines.at(-1), `合计,${colTotal(1)},${colTotal(2)},${cells.classes}`)
    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('analysis-export-xlsx').click()])
    await xlsxDownload.saveAs(`${dir}/classes.xlsx`)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(`${dir}/classes.xlsx`)
    const sheet = wb.worksheets[0]
    assert.equal(sheet.getCell(sheet.rowCount, 4).value, cells.classes)
    const firstGrade = [...byRow.rows].sort((a, b) => a.grade - b.grade)[0]
    assert.equal(sheet.getCell(2, 4).value, firstGrade.classes, 'the first grade\'s total in the workbook')
    assert.equal(wb.worksheets[1]?.getCell(7, 2).value, '班数')

    // A reload keeps the measure (the URL holds it), the figures with it.
    const again = threeRequests(page, 'classes')
    await page.reload()
    await again
    await page.getByTestId('analysis-grand').waitFor()
    await settled(page)
    assert.equal(await page.getByTestId('analysis-measure-classes').locator('input').isChecked(), true)
    assert.equal(figure(await page.getByTestId('analysis-grand').innerText()), cells.classes)
    assert.equal(new URL(page.url()).searchParams.get('measure'), 'classes')

    // 平均班额 by keyboard (arrow keys move within the radio group): students ÷ classes, one decimal.
    await page.getByTestId('analysis-measure-classes').locator('input').focus()
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    assert.equal(await page.getByTestId('analysis-measure-classSize').locator('input').isChecked(), true)
    const sized = threeRequests(page, 'students,classes')
    await page.getByTestId('analysis-run').click()
    await sized
    await page.waitForURL((u) => u.searchParams.get('measure') === 'classSize')
    await page.getByTestId('analysis-measure-note').waitFor()
    await settled(page)
    const both = await counts(page, `org=${school.county}&by=grade,gender&status=current&measures=students,classes`)
    const bothByRow = await counts(page, `org=${school.county}&by=grade&status=current&measures=students,classes`)
    const bothByCol = await counts(page, `org=${school.county}&by=gender&status=current&measures=students,classes`)
    const cell = both.rows.find((r) => r.grade === 1 && r.gender === 2) ?? both.rows[0]
    assert.equal(await page.getByTestId(`analysis-cell-${key(cell.grade)}-${key(cell.gender)}`).innerText(), classSize(cell.count, cell.classes))
    const row = bothByRow.rows.find((r) => r.grade === cell.grade)
    assert.equal(await page.getByTestId(`analysis-rowtotal-${key(cell.grade)}`).innerText(), classSize(row.count, row.classes))
    const col = bothByCol.rows.find((r) => r.gender === cell.gender)
    assert.equal(await page.getByTestId(`analysis-coltotal-${key(cell.gender)}`).innerText(), classSize(col.count, col.classes))
    assert.equal(await page.getByTestId('analysis-grand').innerText(), classSize(both.total, both.classes))
    assert.match(await page.getByTestId('analysis-total').innerText(), new RegExp(`平均班额 ${classSize(both.total, both.classes).replace('.', '\\.')} 人`))
    await shot('analysis-class-size')
  })
})
