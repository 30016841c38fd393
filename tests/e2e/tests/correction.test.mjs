// (v) A correction of a protected field (学籍信息更正) through the portal: the school's
// registrar asks to correct a name from the student's page with the proof's document number,
// the school head and the county approve from their inboxes, and the student's page then
// shows the new name and the correction in its history (whole: the registrar may see
// personal data).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { settled, signIn, state, withPage } from '../lib/harness.mjs'
import { approveFromInbox } from '../lib/cases.mjs'

// A G-numbered student of the school that no other test touches (run.mjs).
const pupil = state.correctionStudent
// The same surname, a given name no generated student has.
const newName = `${Array.from(pupil.name)[0]}更正名`

test('a name correction asked by the school, approved by the head and the county, shows on the student', async (t) => {
  const number = pupil.number
  await withPage({ name: `registrar: ${t.name}` }, {}, async ({ page, shot }) => {
    await signIn(page, 'registrar')
    await page.goto(`${state.base}/student/${number}`)
    await page.getByTestId('student-detail-page').waitFor()
    await settled(page)
    await page.getByTestId('student-correction').click()
    await page.getByTestId('correction-name').fill(newName)
    await page.getByTestId('correction-reason').fill('户籍登记姓名与学籍不一致')
    await page.getByTestId('correction-document').fill('户籍证明〔2026〕8号')
    await shot('correction-form')
    const asked = page.waitForResponse((r) => r.url().endsWith(`/api/v1/students/${number}/corrections`) && r.request().method() === 'POST')
    await page.getByTestId('correction-submit').click()
    const r = await asked
    assert.equal(r.status(), 202, await r.text())
    const kase = await r.json()
    assert.equal(kase.type, 'student.correction')
    assert.ok(!JSON.stringify(kase).includes(newName), 'the case holds the new name masked')
    await page.waitForURL((u) => u.pathname === `/case/${kase.id}`)
    await page.getByTestId('case-corrections').filter({ hasText: '姓名' }).waitFor()
    assert.equal((await page.getByTestId('case-status').innerText()).trim(), '审批中')

    await withPage({ name: `head: ${t.name}` }, {}, async ({ page, shot }) => {
      const after = await approveFromInbox(page, 'transfer.head', kase.id, { shot })
      assert.equal(after.step.name, '县级教育行政部门审核')
    })
    await withPage({ name: `county: ${t.name}` }, {}, async ({ page, shot }) => {
      const after = await approveFromInbox(page, 'county', kase.id, { shot })
      assert.equal(after.status, 'approved')
    })

    const history = page.waitForResponse((res) => res.url().endsWith(`/api/v1/students/${number}/corrections`) && res.request().method() === 'GET')
    await page.goto(`${state.base}/student/${number}`)
    await page.getByTestId('student-detail-page').waitFor()
    const items = (await (await history).json()).items
    assert.deepEqual(items.map((c) => c.status), ['applied'])
    await settled(page)
    await page.getByTestId('student-value-name').filter({ hasText: newName }).waitFor()
    const section = page.getByTestId('student-corrections')
    await section.filter({ hasText: `${pupil.name} → ${newName}` }).waitFor()
    assert.match(await section.innerText(), /户籍证明〔2026〕8号/)
    await section.scrollIntoViewIfNeeded()
    await shot('correction-history')
  })
})
