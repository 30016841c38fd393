// (u) A status change (学籍异动) through the portal: the school's registrar asks for a
// suspension (休学) from the student's page, the school head and the county approve from
// their inboxes, and the student's page then shows 休学 and the change in its history.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { settled, signIn, state, withPage } from '../lib/harness.mjs'
import { approveFromInbox } from '../lib/cases.mjs'

// A G-numbered student of the school that no other test touches (run.mjs).
const pupil = state.statusChangeStudent
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())

test('a suspension asked by the school, approved by the head and the county, shows on the student', async (t) => {
  const number = pupil.number
  await withPage({ name: `registrar: ${t.name}` }, {}, async ({ page, shot }) => {
    await signIn(page, 'registrar')
    await page.goto(`${state.base}/student/${number}`)
    await page.getByTestId('student-detail-page').waitFor()
    await settled(page)
    await page.getByTestId('student-status-change').click()
    await page.getByTestId('status-change-type').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '休学（11）' }).click()
    await page.getByTestId('status-change-reason').fill('因病休学一年（监护人书面申请）')
    await page.getByTestId('status-change-date').fill(today)
    await page.getByTestId('status-change-document').fill('休学申请〔2026〕1号')
    await shot('status-change-form')
    const asked = page.waitForResponse((r) => r.url().endsWith(`/api/v1/students/${number}/status-changes`))
    await page.getByTestId('status-change-submit').click()
    const r = await asked
    assert.equal(r.status(), 201, await r.text())
    const id = (await r.json()).id
    await page.waitForURL((u) => u.pathname === `/case/${id}`)
    await page.getByTestId('case-details').filter({ hasText: '休学' }).waitFor()
    assert.equal((await page.getByTestId('case-status').innerText()).trim(), '审批中')

    await withPage({ name: `head: ${t.name}` }, {}, async ({ page, shot }) => {
      const kase = await approveFromInbox(page, 'transfer.head', id, { shot })
      assert.equal(kase.step.name, '县级教育行政部门审核')
    })
    await withPage({ name: `county: ${t.name}` }, {}, async ({ page, shot }) => {
      const kase = await approveFromInbox(page, 'county', id, { shot })
      assert.equal(kase.status, 'approved')
    })

    const changes = page.waitForResponse((res) => res.url().includes(`/api/v1/students/${number}/changes`))
    await page.goto(`${state.base}/student/${number}`)
    await page.getByTestId('student-detail-page').waitFor()
    assert.deepEqual((await (await changes).json()).items.map((c) => c.type), ['11'])
    await settled(page)
    await page.getByTestId('student-value-status').filter({ hasText: '休学' }).waitFor()
    const section = page.getByTestId('student-changes')
    await section.filter({ hasText: '休学（11）' }).waitFor()
    assert.match(await section.innerText(), /休学申请〔2026〕1号/)
    await section.scrollIntoViewIfNeeded()
    await shot('status-change-history')
  })
})
