// 统计上报 (issue 11 §3): a school year's statistics go up 天河区 (run.mjs: its schools were
// all registered today, so on 1 September they had no pupils and the review warns
// no_students — which must be explained, the review at work). The school's statistician
// submits (first refused for the missing explanation, named next to the finding); the
// county returns it with a reason; the school reads the reason, edits its explanation and
// submits again; the county's other schools are submitted and approved through the API (by
// two county statisticians: who submits a unit may not approve it); the county approves the
// school in the browser and submits itself; the city approves the county, its dashboard
// counts it, and the county's signed file carries a submit and an approve signature that
// `nemis stats verify` accepts offline (and refuses once a figure is changed).
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { test } from 'node:test'
import { account, openMenu, settled, signIn, state, withPage } from '../lib/harness.mjs'
import { NodeClient } from '../lib/node.mjs'

const { school, county, city } = state.submission
/** The school year of the last 1 September (Beijing), the page's default. */
const year = (() => {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
  return today.slice(5) >= '09-01' ? Number(today.slice(0, 4)) : Number(today.slice(0, 4)) - 1
})()
const kFirstExplanation = '本校于统计时点之后才开始登记学籍。'
const kSecondExplanation = '本校于 9 月 1 日之后才在本系统登记学籍，统计时点时尚无学生记录（已核实）。'
const kReason = '请写明无在校生的具体原因（何时开始登记学籍）。'
const detailUrl = (org) => (/** @type {import('playwright-core').Response} */ r) =>
  r.request().method() === 'GET' && new URL(r.url()).pathname === `/api/v1/stats/submissions/${year}/${org}`
const action = (org, name) => (/** @type {import('playwright-core').Response} */ r) =>
  r.request().method() === 'POST' && new URL(r.url()).pathname === `/api/v1/stats/submissions/${year}/${org}/${name}`

async function client(key) {
  const a = account(key)
  const c = new NodeClient(state.base)
  await c.login(a.login, a.password)
  return c
}

/** Opens 统计上报 from the menu and waits for the unit's own panel. */
async function openSubmissions(page, org) {
  const own = page.waitForResponse(detailUrl(org))
  await openMenu(page, 'stats-submissions', 'submission-page')
  const detail = await (await own).json()
  await page.getByTestId('submission-own').waitFor()
  await settled(page)
  return detail
}

/** Clicks the primary button of the confirmation box (approve, withdraw). */
async function confirmBox(page) {
  await page.locator('.el-message-box').getByRole('button', { name: '审核通过' }).click()
}

test('a school submits: the no_students warning must be explained, named next to the finding', async (t) => {
  await withPage(t, { allowHttp: [422] }, async ({ page, shot }) => {
    await signIn(page, 'stats.school')
    const detail = await openSubmissions(page, school.code)
    assert.equal(detail.year, year)
    assert.equal(detail.unit.org, school.code)
    assert.equal(detail.unit.level, 'school')
    assert.equal(detail.snapshot.students, 0, 'registered today: no pupils on 1 September')
    assert.ok(detail.allowed.includes('submit'), `allowed ${detail.allowed}`)
    assert.ok(detail.findings.some((f) => f.id === 'no_students' && f.severity === 'warning'))
    assert.equal(await page.getByTestId('submission-own-state').getAttribute('data-state'), 'ready')
    assert.match(await page.getByTestId('submission-year').innerText(), new RegExp(`${year}–${year + 1}`))
    const finding = page.getByTestId('submission-finding-no_students')
    assert.match(await finding.innerText(), /无在校生/)

    // Without the explanation: 422 explanation_required, shown under the finding.
    const refused = page.waitForResponse(action(school.code, 'submit'))
    await page.getByTestId('submission-submit').click()
    const r = await refused
    assert.equal(r.status(), 422)
    const body = await r.json()
    assert.equal(body.error.code, 'explanation_required')
    assert.ok(body.error.fields.some((f) => f.field === 'explanations.no_students'))
    await page.getByTestId('submission-finding-problem-no_students').waitFor()
    assert.match(await page.getByTestId('submission-finding-problem-no_students').innerText(), /说明/)
    assert.match(await page.getByTestId('submission-action-error').innerText(), /经验校验/)
    await shot('submission-explanation-required')

    await page.getByTestId('submission-explain-no_students').fill(kFirstExplanation)
    const submitted = page.waitForResponse(action(school.code, 'submit'))
    await page.getByTestId('submission-submit').click()
    const done = await submitted
    assert.equal(done.status(), 201)
    const after = await done.json()
    assert.equal(after.unit.state, 'submitted')
    assert.equal(after.explanations.no_students, kFirstExplanation)
    assert.match(after.digest, /^[0-9a-f]{64}$/)
    assert.deepEqual(after.signatures.map((s) => s.action), ['submit'])
    await page.waitForFunction(() => document.querySelector('[data-testid="submission-own-state"]')?.getAttribute('data-state') === 'submitted')
    assert.match(await page.getByTestId('submission-own-state').innerText(), /已上报待审核/)
    assert.match(await page.getByTestId('submission-explained-no_students').innerText(), new RegExp(kFirstExplanation))
    await page.getByTestId('submission-signatures').locator('.el-table__row').first().waitFor()
    assert.equal(await page.getByTestId('submission-submit').count(), 0)
    await page.getByTestId('submission-withdraw').waitFor() // the submitter may take it back
  })
})

test('the county returns the school with a reason', async (t) => {
  await withPage(t, {}, async ({ page, shot }) => {
    await signIn(page, 'stats.county')
    await openSubmissions(page, county)
    const state_ = page.getByTestId(`submission-unit-state-${school.code}`)
    assert.equal(await state_.getAttribute('data-state'), 'submitted')
    assert.match(await state_.innerText(), /已上报待审核/)
    // The submission is also a case in the county's inbox (审批待办).
    const inbox = await (await page.request.get(new URL('/api/v1/cases?waiting=me', page.url()).href)).json()
    assert.ok(inbox.items.some((c) => c.type === 'stats.submission' && c.title === '统计上报审核' && c.parties?.unit === school.code),
      `inbox ${inbox.items.map((c) => c.type)}`)
    // On the case's own page the refusal reads 退回 (it reopens the school), not 不予通过.
    const kase = inbox.items.find((c) => c.type === 'stats.submission' && c.parties?.unit === school.code)
    await page.goto(`${state.base}/case/${kase.id}`)
    await page.getByTestId('case-reject').waitFor()
    assert.equal((await page.getByTestId('case-reject').innerText()).trim(), '退回')
    await openSubmissions(page, county)
    // The reason is required: the dialog says so before anything is sent.
    const detailRead = page.waitForResponse(detailUrl(school.code))
    await page.getByTestId(`submission-unit-return-${school.code}`).click()
    await detailRead
    const dialog = page.getByTestId('submission-return-dialog')
    await dialog.getByTestId('submission-return-confirm').click()
    assert.match(await dialog.getByTestId('submission-return-error').innerText(), /退回原因/)
    await dialog.getByTestId('submission-return-reason').fill(kReason)
    const returned = page.waitForResponse(action(school.code, 'return'))
    await dialog.getByTestId('submission-return-confirm').click()
    const r = await returned
    assert.equal(r.status(), 200)
    assert.equal((await r.json()).unit.state, 'returned')
    await page.waitForFunction((code) => document.querySelector(`[data-testid="submission-unit-state-${code}"]`)?.getAttribute('data-state') === 'returned', school.code)
    assert.match(await page.getByTestId(`submission-unit-reason-${school.code}`).innerText(), new RegExp(kReason))
    assert.match(await state_.innerText(), /已退回/)
    await shot('submission-county-returned')
  })
})

test('the school reads the reason, edits its explanation and submits again', async (t) => {
  await withPage(t, {}, async ({ page }) => {
    await signIn(page, 'stats.school')
    const detail = await openSubmissions(page, school.code)
    assert.equal(detail.unit.state, 'returned')
    assert.match(await page.getByTestId('submission-own-reason').innerText(), new RegExp(kReason))
    const box = page.getByTestId('submission-explain-no_students')
    assert.equal(await box.inputValue(), kFirstExplanation, 'the explanation sent before is kept')
    await box.fill(kSecondExplanation)
    const submitted = page.waitForResponse(action(school.code, 'submit'))
    await page.getByTestId('submission-submit').click()
    const r = await submitted
    assert.equal(r.status(), 201)
    const after = await r.json()
    assert.equal(after.unit.state, 'submitted')
    assert.equal(after.explanations.no_students, kSecondExplanation)
    await page.waitForFunction(() => document.querySelector('[data-testid="submission-own-state"]')?.getAttribute('data-state') === 'submitted')
  })
})

test('the county approves its schools and submits itself; the city approves the county', async (t) => {
  // The county's other schools, through the API: the first county statistician submits each
  // (explaining its warnings), the second approves (the submitter may not).
  const first = await client('stats.county')
  const second = await client('stats.county2')
  const progress = await first.call('GET', `/api/v1/stats/submissions?year=${year}&org=${county}`)
  assert.equal(progress.unit.org, county)
  assert.ok(progress.units.some((u) => u.org === school.code), `${school.code} reports to ${county}`)
  for (const unit of progress.units.filter((u) => u.org !== school.code)) {
    if (unit.state === 'approved') continue
    if (unit.state !== 'submitted') {
      const draft = await first.call('GET', `/api/v1/stats/submissions/${year}/${unit.org}`)
      const explanations = Object.fromEntries(draft.findings.filter((f) => f.severity === 'warning').map((f) => [f.id, `核实：${f.message}`]))
      await first.call('POST', `/api/v1/stats/submissions/${year}/${unit.org}/submit`, { explanations })
    }
    const pending = await second.call('GET', `/api/v1/stats/submissions/${year}/${unit.org}`)
    assert.ok(pending.allowed.includes('approve'), `${unit.org}: allowed ${pending.allowed}`)
    const approved = await second.call('POST', `/api/v1/stats/submissions/${year}/${unit.org}/approve`, { version: pending.unit.version })
    assert.equal(approved.unit.state, 'approved')
  }

  await withPage(t, {}, async ({ page, shot }) => {
    await signIn(page, 'stats.county')
    const before = await openSubmissions(page, county)
    assert.ok(before.unitsNotApproved.includes(school.code), 'the school is not approved yet')
    assert.ok(!before.allowed.includes('submit'))
    await page.getByTestId('submission-not-approved').waitFor()

    // Approve the school (after its detail says the county may).
    await page.getByTestId(`submission-unit-approve-${school.code}`).click()
    const approved = page.waitForResponse(action(school.code, 'approve'))
    // Then the county's own draft is read again: every school approved, it may submit.
    const ready = page.waitForResponse(detailUrl(county))
    await confirmBox(page)
    const r = await approved
    assert.equal(r.status(), 200)
    const school_ = await r.json()
    assert.equal(school_.unit.state, 'approved')
    assert.deepEqual(school_.signatures.map((s) => s.action).sort(), ['approve', 'submit'])
    await page.waitForFunction((code) => document.querySelector(`[data-testid="submission-unit-state-${code}"]`)?.getAttribute('data-state') === 'approved', school.code)

    // Every school approved: the county's draft is their sum and it may submit.
    const draft = await (await ready).json()
    await page.getByTestId('submission-submit').waitFor()
    assert.deepEqual(draft.unitsNotApproved, [])
    assert.ok(draft.allowed.includes('submit'), `allowed ${draft.allowed}`)
    assert.equal(draft.snapshot.schools, progress.units.length)
    const warnings = draft.findings.filter((f) => f.severity === 'warning')
    assert.ok(warnings.some((f) => f.id === 'schools_without_students'), `warnings ${warnings.map((f) => f.id)}`)
    assert.ok(!draft.findings.some((f) => f.severity === 'error'), 'no logical error')
    for (const f of warnings) {
      await page.getByTestId(`submission-explain-${f.id}`).fill(`已核实：各校均于统计时点之后开始登记学籍（${f.rule}）。`)
    }
    const submitted = page.waitForResponse(action(county, 'submit'))
    await page.getByTestId('submission-submit').click()
    const s = await submitted
    assert.equal(s.status(), 201)
    assert.equal((await s.json()).unit.state, 'submitted')
    await page.waitForFunction(() => document.querySelector('[data-testid="submission-own-state"]')?.getAttribute('data-state') === 'submitted')
    // The county's own submission freezes the schools: nothing below may be returned now.
    await page.waitForFunction((code) => document.querySelector(`[data-testid="submission-unit-state-${code}"]`)?.textContent?.includes('已锁定'), school.code)
    assert.equal(await page.getByTestId(`submission-unit-return-${school.code}`).count(), 0)
    await shot('submission-county-submitted')
  })

  await withPage(t, {}, async ({ page, shot }) => {
    await signIn(page, 'stats.city')
    await openSubmissions(page, city)
    const row = page.getByTestId(`submission-unit-state-${county}`)
    assert.equal(await row.getAttribute('data-state'), 'submitted')
    // Expanding the county's row reads its submission: the warning with the county's explanation.
    const expanded = page.waitForResponse(detailUrl(county))
    await page.locator('.el-table__row', { has: page.getByTestId(`submission-unit-${county}`) }).locator('.el-table__expand-icon').click()
    await expanded
    const unitDetail = page.getByTestId(`submission-unit-detail-${county}`)
    await unitDetail.getByTestId('submission-finding-schools_without_students').waitFor()
    assert.match(await unitDetail.innerText(), /已核实：各校均于统计时点之后开始登记学籍/)
    await page.getByTestId(`submission-unit-approve-${county}`).click()
    const approved = page.waitForResponse(action(county, 'approve'))
    // The dashboard is read again once the county is approved.
    const after = page.waitForResponse((r) => r.request().method() === 'GET' && new URL(r.url()).pathname === '/api/v1/stats/submissions')
    await confirmBox(page)
    assert.equal((await approved).status(), 200)
    const progress = await (await after).json()
    assert.equal(progress.units.find((u) => u.org === county)?.state, 'approved')
    await page.waitForFunction((code) => document.querySelector(`[data-testid="submission-unit-state-${code}"]`)?.getAttribute('data-state') === 'approved', county)
    assert.match(await row.innerText(), /已通过/)
    // The level counts: the county level has one approved unit (天河区); its schools are all approved.
    const countyLevel = progress.levels.find((l) => l.level === 'county')
    assert.equal(countyLevel?.approved, 1)
    assert.equal(await page.getByTestId('submission-level-county-approved').innerText(), '1')
    const schoolLevel = progress.levels.find((l) => l.level === 'school')
    assert.ok(schoolLevel && schoolLevel.approved >= progress.units.length, `school level ${JSON.stringify(schoolLevel)}`)
    await page.waitForFunction(() => !document.querySelector('.el-message')) // the toast fades (docs/images/submission.png)
    await shot('submission-city')

    // The county's signed file: the figures with a submit and an approve signature.
    const own = page.waitForResponse(detailUrl(county))
    await page.getByTestId(`submission-unit-${county}`).click()
    await page.waitForURL((u) => u.searchParams.get('org') === county)
    const detail = await (await own).json()
    assert.equal(detail.unit.state, 'approved')
    await page.getByTestId('submission-signatures').locator('.el-table__row').nth(1).waitFor()
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('submission-download').click()])
    const dir = await mkdtemp(`${tmpdir()}/nemis-submission-`)
    const file = `${dir}/signed.json`
    await download.saveAs(file)
    assert.match(download.suggestedFilename(), /\.json$/)
    const signed = JSON.parse(await readFile(file, 'utf8'))
    const actions = (signed.signatures ?? []).map((s) => s.action)
    assert.ok(actions.includes('submit') && actions.includes('approve'), `signatures ${actions}`)

    // Offline verification with the CLI (`nemis stats verify FILE --trust KEY.pem`), against
    // the node's statistics signing authority key; one figure changed, it fails.
    const key = await (await page.request.get(new URL('/api/v1/stats/signing-key', page.url()).href)).json()
    await writeFile(`${dir}/authority.pem`, key.publicKey)
    assert.match(await page.getByTestId('submission-verify-hint').innerText(), new RegExp(key.fingerprint)) // shown to compare
    const ok = spawnSync(state.nemis, ['stats', 'verify', file, '--trust', `${dir}/authority.pem`], { encoding: 'utf8' })
    assert.equal(ok.status, 0, `nemis stats verify: ${ok.stdout}${ok.stderr}`)
    assert.match(ok.stdout, /核验通过/)
    assert.match(ok.stdout, /审核通过\s+e2e\.stats\.city/)
    signed.snapshot.students = (signed.snapshot.students ?? 0) + 1
    await writeFile(`${dir}/tampered.json`, JSON.stringify(signed))
    const bad = spawnSync(state.nemis, ['stats', 'verify', `${dir}/tampered.json`, '--trust', `${dir}/authority.pem`], { encoding: 'utf8' })
    assert.equal(bad.status, 1, `a changed document fails verification: ${bad.stdout}${bad.stderr}`)
  })
})
