// (e) The dashboard of student counts renders its charts with the node's data and drills
// down one level (county → school) when a bar is clicked.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { openMenu, settled, signIn, state, withPage } from '../lib/harness.mjs'

/** The number in "共 N 名学生"-like text. */
const total = async (page) => Number((await page.getByTestId('stats-total').innerText()).replace(/[^\d]/g, ''))

test('the student-count dashboard renders with data and drills down one level', async (t) => {
  await withPage(t, {}, async ({ page, shot }) => {
    const { school } = state
    await signIn(page, 'county')
    const first = page.waitForResponse((r) => r.url().includes('/api/v1/stats/students') && r.url().includes('by=org'))
    await openMenu(page, 'stats-students', 'stats-page')
    const byOrg = await (await first).json()
    assert.equal(byOrg.org, school.county)
    await page.getByTestId('stats-total').waitFor()
    await settled(page)
    assert.equal(await total(page), byOrg.total)
    assert.ok(byOrg.total >= state.schoolStudents, `county total ${byOrg.total}`)
    const chart = page.getByTestId('stats-chart-org')
    for (const id of ['stats-chart-org', 'stats-chart-grade', 'stats-chart-gender']) {
      await page.getByTestId(id).locator('canvas').first().waitFor()
    }
    // ECharts' aria description carries the data the bars were drawn from.
    await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="stats-chart-org"]')?.getAttribute('aria-label') ?? ''))
    const described = (await chart.getAttribute('aria-label')) ?? ''
    assert.match(described, new RegExp(String(byOrg.rows[0].count)))
    // The indicators of the county at the last three points in time, each with its formula.
    const indicators = page.getByTestId('stats-indicators-table')
    await indicators.locator('.el-table__row').nth(7).waitFor()
    assert.match(await indicators.locator('.el-table__row').first().innerText(), /小学在校生数[\s\S]*教基3112/)
    await shot('stats-county')

    // One bar per school of the county: click the first (the plot area starts 60 px in,
    // ends 90 px above the bottom; the tallest bar reaches near the top).
    const box = await chart.boundingBox()
    assert.ok(box)
    const bars = byOrg.rows.length
    const step = (box.width - 80) / bars
    const biggest = byOrg.rows.reduce((m, r, i) => (r.count > byOrg.rows[m].count ? i : m), 0)
    const target = byOrg.rows[biggest].org
    const drilled = page.waitForResponse((r) => r.url().includes('/api/v1/stats/students') && r.url().includes(`org=${target}`))
    await page.mouse.click(box.x + 60 + step * (biggest + 0.5), box.y + box.height - 90 - 20)
    await page.waitForURL((u) => u.searchParams.get('org') === target)
    await drilled
    await page.getByTestId('stats-trail').locator('.el-breadcrumb__item').nth(1).waitFor()
    const trail = await page.getByTestId('stats-trail').innerText()
    assert.match(trail, new RegExp(`${school.name}|${target}`))
    await settled(page)
    assert.equal(await total(page), byOrg.rows[biggest].count)
    await shot('stats-school')
  })
})

// The home dashboard: the county's students as the statistics API counts them, and one
// level down (a school of the county) through the drill-down select (the treemap's
// keyboard equivalent), with the trail leading back.
test('the home dashboard shows the county and drills down to a school', async (t) => {
  await withPage(t, {}, async ({ page, shot }) => {
    const { school } = state
    const first = page.waitForResponse((r) => r.url().includes('/api/v1/stats/students') && r.url().includes('by=org'))
    await signIn(page, 'county')
    const byOrg = await (await first).json()
    assert.equal(byOrg.org, school.county)
    const card = page.getByTestId('home-card-students')
    await card.waitFor()
    const digits = async () => Number((await card.locator('.big').innerText()).replace(/[^\d]/g, ''))
    assert.equal(await digits(), byOrg.total)
    for (const id of ['home-treemap', 'home-chart-stage', 'home-chart-grade', 'home-chart-gender']) {
      await page.getByTestId(id).locator('canvas').first().waitFor()
    }
    await settled(page)
    await shot('home-dashboard')
    const drilled = page.waitForResponse((r) => r.url().includes('/api/v1/stats/students') && r.url().includes(`org=${school.code}`))
    await page.getByTestId('home-drill-select').click()
    await page.locator('.el-select-dropdown__item', { hasText: school.name }).first().click()
    const schoolCounts = await (await drilled).json()
    await page.getByTestId(`home-trail-${school.county}`).waitFor()
    await page.waitForFunction(
      ([total]) => document.querySelector('[data-testid="home-card-students"] .big')?.textContent?.replace(/[^\d]/g, '') === String(total),
      [schoolCounts.total])
    await page.getByTestId(`home-trail-${school.county}`).click()
    await page.getByTestId(`home-trail-${school.county}`).waitFor({ state: 'detached' })
    assert.equal(await digits(), byOrg.total)
  })
})

// (e) The statistical form 教基3112 of the county, now: its 在校生数 is the county's
// primary pupils in school (01 在读, 05 复学) as the counts API gives them, the items the
// registry cannot compute are listed, and the Excel download is a workbook.
test('a statistical form of the county, now, with its Excel download', async (t) => {
  await withPage(t, {}, async ({ page, shot }) => {
    const { school } = state
    await signIn(page, 'county')
    const first = page.waitForResponse((r) => r.url().includes('/api/v1/stats/forms/'))
    await openMenu(page, 'stats-forms', 'forms-page')
    assert.equal((await first).status(), 200)
    await page.getByTestId('forms-table').waitFor()
    // The last 1 September came before this node's registry: nothing counted, and said so.
    await page.getByTestId('forms-empty-past').waitFor()
    const now = page.waitForResponse((r) => r.url().includes('/api/v1/stats/forms/') && r.url().includes('asOf='))
    await page.getByTestId('forms-asof-now').click()
    const form = await (await now).json()
    assert.equal(form.form, '教基3112')
    assert.equal(form.org, school.county)
    const counts = await (await page.request.get(new URL(`/api/v1/stats/students?org=${school.county}&by=stage,status&status=all`, page.url()).href)).json()
    const primary = counts.rows
      .filter((r) => r.stage === 'primary' && (r.status === '01' || r.status === '05'))
      .reduce((n, r) => n + r.count, 0)
    assert.equal(form.rows[0].cells[6], primary)
    await settled(page)
    await page.waitForFunction(
      ([n]) => document.querySelector('[data-testid="forms-cell-01-7"]')?.textContent?.replace(/[^\d]/g, '') === String(n),
      [primary])
    assert.equal(await page.getByTestId('forms-empty-past').count(), 0) // the figures are shown now
    assert.equal(await page.getByTestId('forms-cell-01-3').innerText(), '') // 学前教育年限: not computed
    assert.match(await page.getByTestId('forms-unavailable').innerText(), /学前教育年限/)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('forms-download-xlsx').click()])
    const { mkdtemp, readFile } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const file = `${await mkdtemp(`${tmpdir()}/nemis-form-`)}/form.xlsx`
    await download.saveAs(file) // the browser may run apart from the test (no local path)
    assert.equal((await readFile(file)).subarray(0, 2).toString(), 'PK')
    assert.match(download.suggestedFilename(), /\.xlsx$/)
    await shot('stats-form')

    // Drill-down: the 在校生数 of each school of the county; the school's own form follows.
    const drilled = page.waitForResponse((r) => r.url().includes('/cells?'))
    await page.getByTestId('forms-cell-01-7').click()
    const drill = await (await drilled).json()
    assert.equal(drill.value, primary)
    assert.equal(drill.children.reduce((n, c) => n + c.value, 0), primary)
    const mine = drill.children.find((c) => c.org === school.code)
    assert.ok(mine, `the school ${school.code} among ${drill.children.map((c) => c.org)}`)
    await page.getByTestId('forms-drill').getByTestId(`forms-drill-${school.code}`).waitFor()
    assert.match(await page.getByTestId(`forms-drill-${school.code}`).innerText(), new RegExp(school.name))
    await shot('stats-form-drill')
    const own = page.waitForResponse((r) => r.url().includes('/api/v1/stats/forms/') && r.url().includes(`org=${school.code}`))
    await page.getByTestId(`forms-drill-${school.code}`).click()
    const schoolForm = await (await own).json()
    assert.equal(schoolForm.org, school.code)
    assert.equal(schoolForm.rows[0].cells[6], mine.value)
    await page.waitForFunction(
      ([n]) => document.querySelector('[data-testid="forms-cell-01-7"]')?.textContent?.replace(/[^\d]/g, '') === String(n),
      [mine.value])
  })
})
