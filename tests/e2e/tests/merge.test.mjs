// (y) 重复学籍合并 through the portal: run.mjs registers one pupil at two schools of 天河区 and
// scans the county. The registrar of the school holding the copy finds the pair in 问题学籍,
// reviews it side by side (the other school's student by its school only) and asks to keep
// the other school's record; the merge case opens on its page with both records masked. The
// kept school's head and the county approve from their inboxes. Afterwards the copy keeps
// its number with status 其他 and a 取消学籍 change, the kept student's history shows the
// merge and the finding is 已合并.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { approveFromInbox } from '../lib/cases.mjs'
import { openMenu, settled, signIn, state, withPage } from '../lib/harness.mjs'

const { keptSchool, copySchool, kept, copy } = state.merge
const kReason = '经核实为同一学生，在两校重复注册'
const kDocument = '天河教学籍〔2026〕9号'

const isList = (/** @type {import('playwright-core').Response} */ r) => {
  const u = new URL(r.url())
  return u.pathname === '/api/v1/problem-records' && u.searchParams.get('kind') === 'same_name_birth'
}

test('a duplicate registration is merged: the copy school asks, the kept school and the county approve', async (t) => {
  /** @type {number} */
  let caseId = 0
  /** @type {number} */
  let findingId = 0
  await withPage({ name: `registrar: ${t.name}` }, {}, async ({ page, shot }) => {
    await signIn(page, 'merge.registrar')
    await openMenu(page, 'problem-records', 'problems-page')
    await page.getByTestId('problems-school-level').waitFor()
    await settled(page)
    const listed = page.waitForResponse(isList)
    await page.getByTestId('problems-kind-same_name_birth').click()
    const items = (await (await listed).json()).items
    const item = items.find((/** @type {any} */ i) => [i.student, i.other].some((s) => s?.schoolCode === keptSchool.code))
    assert.ok(item, `no same_name_birth finding pairs ${copySchool.code} with ${keptSchool.code}: ${JSON.stringify(items)}`)
    findingId = item.id
    const keptSide = item.student.schoolCode === keptSchool.code ? 'student' : 'other'
    const mySide = keptSide === 'student' ? 'other' : 'student'
    assert.deepEqual(item[keptSide], { schoolCode: keptSchool.code, inScope: false })
    await settled(page)

    // Side by side: this school's pupil whole, the other school's by its school only.
    await page.getByTestId(`problems-review-${item.id}`).click()
    await page.getByTestId('review-form').waitFor()
    const side = (/** @type {string} */ s) => (s === 'student' ? 'left' : 'right')
    assert.equal((await page.getByTestId(`review-${side(mySide)}-name`).innerText()).trim(), copy.name)
    assert.equal((await page.getByTestId(`review-${side(keptSide)}-name`).innerText()).trim(), '不在您的管辖范围内')
    assert.ok((await page.getByTestId(`review-${side(keptSide)}-school`).innerText()).includes(keptSchool.code))
    assert.ok(!(await page.getByTestId('review-table').innerText()).includes(kept.number.slice(1)), 'the other ID shows')
    // Of the other side only its school shows: the one field marked as differing.
    const differing = page.getByTestId('review-table').locator('tr.differs')
    assert.equal(await differing.count(), 1)
    assert.match(await differing.innerText(), /学校/)
    await page.getByTestId(`review-choice-keep_${keptSide}`).click()
    await page.getByTestId('review-reason').fill(kReason)
    await page.getByTestId('review-document').fill(kDocument)
    await shot('merge-review')
    const asked = page.waitForResponse((r) => r.url().endsWith(`/api/v1/problem-records/${item.id}/merge`))
    await page.getByTestId('review-submit').click()
    const r = await asked
    assert.equal(r.status(), 202, await r.text())
    assert.equal(await r.request().headerValue('if-match'), `"v${item.version}"`)
    assert.deepEqual(JSON.parse(r.request().postData() ?? '{}'), { keep: keptSide, reason: kReason, document: kDocument })
    const kase = await r.json()
    caseId = kase.id
    assert.equal(kase.type, 'student.merge')
    assert.equal(kase.step.waitingAt, keptSchool.code)
    assert.ok(!JSON.stringify(kase).includes(copy.name), 'the case holds the name whole')

    // The case page: both records, masked, the kept one and the one that goes.
    await page.waitForURL((u) => u.pathname === `/case/${caseId}`)
    await page.getByTestId('case-merge').waitFor()
    assert.ok((await page.getByTestId('case-merge-kept-school').innerText()).includes(keptSchool.code))
    assert.ok((await page.getByTestId('case-merge-retired-school').innerText()).includes(copySchool.code))
    assert.equal((await page.getByTestId('case-status').innerText()).trim(), '审批中')
    await shot('merge-case')
  })

  await withPage({ name: `kept school head: ${t.name}` }, {}, async ({ page, shot }) => {
    const after = await approveFromInbox(page, 'merge.head', caseId, { shot })
    assert.equal(after.status, 'open')
  })
  await withPage({ name: `county: ${t.name}` }, {}, async ({ page, shot }) => {
    const after = await approveFromInbox(page, 'merge.county', caseId, { shot })
    assert.equal(after.status, 'approved')
    assert.deepEqual(after.history.map((/** @type {any} */ h) => h.action), ['open', 'approve', 'approve'])

    // The kept student's history tells the merge.
    await page.goto(`${state.base}/student/${kept.number}`)
    await page.getByTestId('student-detail-page').waitFor()
    await page.getByTestId('student-changes').filter({ hasText: '其他（99）' }).filter({ hasText: '重复学籍合并' }).waitFor()
    await shot('merge-kept-student')
  })

  await withPage({ name: `registrar after: ${t.name}` }, {}, async ({ page, shot }) => {
    await signIn(page, 'merge.registrar')
    // The copy: its number stays, 其他, with 取消学籍 naming the case.
    await page.goto(`${state.base}/student/${copy.number}`)
    await page.getByTestId('student-detail-page').waitFor()
    await page.getByTestId('student-value-status').filter({ hasText: '其他' }).waitFor()
    await page.getByTestId('student-merged-into').filter({ hasText: '并入学籍号' }).filter({ hasText: `案件 ${caseId}` }).waitFor()
    const changes = page.getByTestId('student-changes')
    await changes.filter({ hasText: '取消学籍（18）' }).waitFor()
    assert.ok((await changes.innerText()).includes(kDocument), 'the change lacks the document number')
    await shot('merge-retired-student')

    // 已处理: the finding merged, by the county, with the reason.
    const found = await page.evaluate(async () => {
      const res = await fetch('/api/v1/problem-records?state=resolved&kind=same_name_birth', { credentials: 'same-origin' })
      return res.json()
    })
    const resolved = found.items.find((/** @type {any} */ i) => i.id === findingId)
    assert.equal(resolved?.resolution?.kind, 'merged')
    assert.equal(resolved?.resolution?.reason, kReason)
    assert.equal(resolved?.caseId, caseId)
  })
})

// 佐证: the same school answers a one-student finding, a pupil far older than its grade, with
// evidence; the finding leaves the open list and shows the decision.
test('a school gives evidence (佐证) for a pupil older than its grade', async (t) => {
  const { older } = state.merge
  await withPage(t, {}, async ({ page, shot }) => {
    await signIn(page, 'merge.registrar')
    await openMenu(page, 'problem-records', 'problems-page')
    await page.getByTestId('problems-school-level').waitFor()
    await settled(page)
    const listed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/problem-records' &&
      new URL(r.url()).searchParams.get('kind') === 'age_off_grade')
    await page.getByTestId('problems-kind-age_off_grade').click()
    const item = (await (await listed).json()).items.find((/** @type {any} */ i) => i.student?.name === older.name)
    assert.ok(item, `no age_off_grade finding for ${older.name}`)
    assert.equal(item.details.grade, 3)
    await settled(page)

    await page.getByTestId(`problems-decide-${item.id}`).click()
    await page.getByTestId('problems-decide-form').waitFor()
    assert.ok(await page.getByTestId('problems-decide-evidence').isChecked())
    await page.getByTestId('problems-decide-reason').fill('随父母务工，晚入学四年，有户籍与入学证明')
    await page.getByTestId('problems-decide-document').fill('入学证明〔2023〕12号')
    const answered = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/problem-records/${item.id}/decision`)
    await page.getByTestId('problems-decide-submit').click()
    const r = await answered
    assert.equal(r.status(), 200, await r.text())
    const body = await r.json()
    assert.equal(body.resolution.kind, 'evidence')
    assert.equal(body.resolution.by, 'e2e.merge.school')
    await page.getByTestId(`problems-decide-${item.id}`).waitFor({ state: 'detached' })
    await shot('problems-evidence')
  })
})
