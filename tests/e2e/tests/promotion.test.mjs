// (x) 年度升级 through the portal: the province's registrar previews the promotion of the
// next-stage test's junior high school for the last school year whose promotion day has
// passed (its one pupil of 初一, never promoted: 1 to promote), starts it, follows the run
// to 已完成, and the pupil is in 初二; a county's registrar is not offered the page (the
// server's refusal is the API tests').
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { settled, signIn, state, withPage } from '../lib/harness.mjs'

const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
const lastYear = Number(today.slice(0, 4)) - (today.slice(5) > '08-10' ? 0 : 1)
const { junior } = state.nextStage
const field = (page, id) => page.locator(`input[data-testid="${id}"], [data-testid="${id}"] input`).first()

test('the province previews and runs the promotion of a school and follows it to the end', async (t) => {
  await withPage({ name: t.name }, {}, async ({ page, shot }) => {
    await signIn(page, 'province')
    await page.goto(`${state.base}/enrolment/promotion`)
    await page.getByTestId('promotion-page').waitFor()
    await settled(page)
    await field(page, 'promotion-org').fill(junior.code)
    await field(page, 'promotion-year').fill(String(lastYear))
    const previewed = page.waitForResponse((r) => r.url().endsWith('/api/v1/registry/promotions'))
    await page.getByTestId('promotion-preview').click()
    const dry = await (await previewed).json()
    assert.deepEqual(dry.total, { promoted: 1, graduated: 0, held: 0 })
    assert.equal(await page.getByTestId('promotion-promoted').textContent(), '1')
    await page.getByTestId('promotion-schools').getByText(junior.code).waitFor()

    const started = page.waitForResponse((r) => r.url().endsWith('/api/v1/registry/promotions'))
    await page.getByTestId('promotion-start').click()
    await page.locator('.el-message-box').getByRole('button', { name: '开始升级' }).click()
    assert.equal((await started).status(), 202)
    await page.getByTestId('promotion-run').getByText('已完成').waitFor()
    assert.equal(await page.getByTestId('promotion-promoted').textContent(), '1')
    await shot('promotion-done')

    const stats = await page.evaluate(async (code) => {
      const res = await fetch(`/api/v1/stats/students?org=${code}&by=grade`, { credentials: 'same-origin' })
      return res.json()
    }, junior.code)
    assert.ok(stats.rows.some((row) => row.grade === 8 && row.count >= 1), JSON.stringify(stats.rows))
  })
})

test('a county registrar is not offered the promotion: the province\'s', async (t) => {
  await withPage({ name: t.name }, {}, async ({ page }) => {
    await signIn(page, 'county')
    // The registry's menu lists what the county does (毕业办理), not 年度升级.
    assert.equal(await page.getByTestId('menu-graduation').count(), 1, '毕业办理 not offered to a county')
    assert.equal(await page.getByTestId('menu-promotion').count(), 0, '年度升级 offered to a county')
    await page.goto(`${state.base}/enrolment/promotion`)
    await page.getByTestId('forbidden').waitFor()
    assert.equal(await page.getByTestId('promotion-page').count(), 0)
  })
})
