// (f) The public portal at /public, without signing in, on a phone (375x667): the school
// directory finds a school by region (province → city → county) and by name, and the
// school's page shows public facts only.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { settled, state, withPage } from '../lib/harness.mjs'

/** Picks an option of an Element Plus select by its visible text. */
async function pick(page, testid, text) {
  await page.getByTestId(testid).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}

test('the public directory finds a school by region and name on a phone', async (t) => {
  await withPage(t, { viewport: { width: 375, height: 667 }, isMobile: true }, async ({ page, shot }) => {
    const { school } = state
    // Region names come from the public API, as the page gets them.
    const regions = async (parent) => {
      const r = await fetch(`${state.base}/api/v1/public/regions${parent ? `?parent=${parent}` : ''}`)
      return (await r.json()).items
    }
    const cityCode = school.county.slice(0, 4) + '00'
    const province = (await regions('')).find((r) => r.code === state.province)
    const city = (await regions(state.province)).find((r) => r.code === cityCode)
    const county = (await regions(cityCode)).find((r) => r.code === school.county)
    assert.ok(province && city && county)

    await page.goto(state.base + '/public')
    await page.getByTestId('public-directory').waitFor()
    await pick(page, 'public-region-province', province.name)
    await pick(page, 'public-region-city', city.name)
    await pick(page, 'public-region-county', county.name)
    await page.getByTestId('public-search').fill(school.name.slice(-4))
    const searched = page.waitForResponse((r) => r.url().includes('/api/v1/public/schools?') && r.url().includes(`region=${school.county}`))
    await page.getByTestId('public-search-submit').click()
    assert.equal((await searched).status(), 200)
    const hit = page.getByTestId('public-results').getByText(school.name)
    await hit.waitFor()
    await settled(page)
    // Readable on the phone: nothing wider than the screen.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1))
    await shot('public-directory')
    await hit.click()
    await page.getByTestId('public-school').waitFor()
    const facts = await page.getByTestId('public-school').innerText()
    assert.match(facts, new RegExp(school.code))
    assert.doesNotMatch(facts, /\d{17}[\dX]/) // no ID number of anyone
    await shot('public-school')
  })
})
