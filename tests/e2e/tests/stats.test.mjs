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
