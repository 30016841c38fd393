// (w) 毕业办理 through the portal: the school's registrar previews its graduation of the
// school year that ends next; the page shows exactly what the server counted, and the
// counts add up to the school's final grade. Outside 1 June – 30 July (Beijing time) the
// graduation itself is refused with the dates, and nobody graduates.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { settled, signIn, state, withPage } from '../lib/harness.mjs'

const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
const [thisYear, thisMonth] = today.split('-').map(Number)
const year = thisMonth >= 9 ? thisYear + 1 : thisYear // the school year that ends next
// From 1 June to 10 August the graduation may be open (run.mjs moves the calendar's
// deadline to December during the year-end freezes): the refusal is checked outside.
const inWindow = today.slice(5) >= '06-01' && today.slice(5) <= '08-10'

test('a school previews its graduation and is told when it may graduate', async (t) => {
  await withPage({ name: t.name }, { allowHttp: [422] }, async ({ page, shot }) => {
    await signIn(page, 'registrar')
    await page.goto(`${state.base}/enrolment/graduation`)
    await page.getByTestId('graduation-page').waitFor()
    await settled(page)
    assert.equal(await page.getByTestId('graduation-school').inputValue(), state.school.code)
    // el-input-number puts the test id on its input or on its wrapper, by version.
    const yearInput = page.locator('input[data-testid="graduation-year"], [data-testid="graduation-year"] input').first()
    assert.equal(await yearInput.inputValue(), String(year))

    const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/graduations'))
    await page.getByTestId('graduation-preview').click()
    const r = await answered
    assert.equal(r.status(), 200, await r.text())
    const counted = await r.json()
    assert.equal(counted.dryRun, true)
    await page.getByTestId('graduation-counts').waitFor()
    assert.equal(await page.getByTestId('graduation-graduated').textContent(), String(counted.graduated))
    assert.equal(await page.getByTestId('graduation-awaiting').textContent(), String(counted.awaitingApproval))
    assert.equal(await page.getByTestId('graduation-held').textContent(), String(counted.held))

    // What the preview counted is the school's final grade in school, as the register has it.
    const stats = await page.evaluate(async (code) => {
      const res = await fetch(`/api/v1/stats/students?org=${code}&by=grade,status`, { credentials: 'same-origin' })
      return res.json()
    }, state.school.code)
    const lastGrade = Math.max(...stats.rows.map((row) => row.grade))
    const inSchool = stats.rows
      .filter((row) => row.grade === lastGrade && ['01', '05'].includes(row.status))
      .reduce((n, row) => n + row.count, 0)
    assert.ok(inSchool > 0, 'the e2e school has a final grade in school')
    assert.equal(counted.graduated + counted.awaitingApproval + counted.held, inSchool)
    await shot('graduation-preview')
    if (inWindow) return // the graduation itself would change what later tests use

    const refused = page.waitForResponse((res) => res.url().endsWith('/api/v1/graduations'))
    await page.getByTestId('graduation-submit').click()
    await page.locator('.el-message-box').getByRole('button', { name: '办理毕业' }).click()
    const answer = await refused
    assert.equal(answer.status(), 422)
    assert.equal((await answer.json()).error.code, 'graduation_window')
    await page.locator('.el-message--error').filter({ hasText: `${year}年的毕业须在6月1日至7月30日` }).waitFor()
    await shot('graduation-refused')
  })
})
