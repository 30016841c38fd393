// (v) 升学录取 through the portal: a junior high school's registrar pastes a graduate of a
// primary school (promoted by run.mjs, so graduated) with a wrong name first — nobody is
// enrolled and the row says why — then with the right one; the student then belongs to the
// junior high school in 初一, with the same number.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { settled, signIn, state, withPage } from '../lib/harness.mjs'

const { junior, graduate } = state.nextStage

test('a junior high school enrols a primary graduate by number and name, keeping the number', async (t) => {
  await withPage({ name: t.name }, { allowHttp: [422] }, async ({ page, shot }) => {
    await signIn(page, 'junior')
    await page.goto(`${state.base}/enrolment/next-stage`)
    await page.getByTestId('next-stage-page').waitFor()
    await settled(page)
    assert.equal(await page.getByTestId('next-stage-school').inputValue(), junior.code)
    await page.getByTestId('next-stage-grade').fill('初一')
    const list = page.getByTestId('next-stage-list')
    await list.fill(`${graduate.number}\t某某某\t01`)
    let answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/next-stage-enrolments'))
    await page.getByTestId('next-stage-submit').click()
    assert.equal((await answered).status(), 422)
    await page.getByTestId('next-stage-problem').filter({ hasText: '学籍号与姓名不匹配' }).waitFor()
    await shot('next-stage-refused')

    await list.fill(`${graduate.number}\t${graduate.name}\t01`)
    answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/next-stage-enrolments'))
    await page.getByTestId('next-stage-submit').click()
    const r = await answered
    assert.equal(r.status(), 200, await r.text())
    assert.equal((await r.json()).enrolled, 1)
    await page.getByTestId('next-stage-done').waitFor()
    await shot('next-stage-done')

    const read = page.waitForResponse((res) => res.url().includes(`/api/v1/students/${graduate.number}`))
    await page.goto(`${state.base}/student/${graduate.number}`)
    const student = await (await read).json()
    assert.equal(student.schoolCode, junior.code)
    assert.equal(student.grade, 7)
    assert.equal(student.status, '01')
  })
})
