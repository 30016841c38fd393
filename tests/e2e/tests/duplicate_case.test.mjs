// (z) 跨省重复学籍核查（一人一号）(exchange.duplicate) on the case page. A real case needs a
// national node reporting a conflict over signed, sealed exchange requests, which the suite's
// node does not have; so each test puts the case into the suite node's store directly, as
// SyncConflictCases (src/exchange/conflict_cases.cpp) would open it: with the sqlite3 CLI
// (skipped without it), while `nemis serve` runs, in one transaction: a wf_case row (type
// exchange.duplicate, subject `student:<number index>` of a real G-numbered student of the
// school, parties school + county, waiting at the school for student.update, opened by
// system:exchange, the conflict's details as the node keeps them), its `open` event, and the
// exchange_conflict_case row tying the conflict to the case and the student. No audit entry
// or change-log row is written for the opening. Everything after that goes through the real
// API and portal.
// (1) The school's registrar opens the case from the inbox: the conflict (学籍号相同, 后于对方
//     登记, the time found), the other registration (北京市, school and code, 小学, 小学3年级,
//     在读（01）, the masked name), the explanation above the buttons, the type's own button
//     labels; no [object Object]. 核实不实（放弃） asks for a reason (refused empty), the
//     reject (If-Match) ends the case 未通过, the history reads the type's label, and the node
//     keeps the verdict `yield` for the national node.
// (2) A disputed conflict (both provinces kept, or both gave up): the warning, axe finds no
//     serious or critical violation, the school confirms (核实属实（保留）) and the county
//     approves from its inbox: 已通过, the verdict `keep`.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { test } from 'node:test'
import { approve, approveFromInbox, caseRead, historyItems, openInbox } from '../lib/cases.mjs'
import { finishAnimations, settled, signIn, state, withPage } from '../lib/harness.mjs'

const kType = 'exchange.duplicate'
const kTitle = '跨省重复学籍核查（一人一号）'
const kSchoolStep = '学校核实学生是否在本校就读'
const kKeep = '核实属实（保留）'
const kYield = '核实不实（放弃）'
const kNote = `“${kKeep}”：学生在本校就读，本省学籍属实，予以保留；“${kYield}”：学生不在本校就读，本省学籍不实，国家节点裁定后由本节点注销。`
const kDisputed = '两省核查结论相同（均保留或均放弃本省学籍），国家节点无法据此裁定，将由教育部裁定。'
const hasSqlite = spawnSync('sqlite3', ['--version']).status === 0
const store = join(state.work, 'e2e.db')

/** Runs SQL on the suite node's store (waiting for the server's write lock); rows as JSON. */
function sql(/** @type {string} */ text) {
  const r = spawnSync('sqlite3', ['-json', '-cmd', '.timeout 15000', store], { input: text, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`sqlite3 failed (${r.status}): ${r.stderr}`)
  return r.stdout.trim() ? JSON.parse(r.stdout) : []
}
const q = (/** @type {string} */ s) => `'${s.replaceAll("'", "''")}'`

/** Students of the school no other test uses (not by name: the roster's first 20, the
 * status-change, correction and transfer students), G-numbered, in school. */
function freeStudents() {
  const taken = [...state.roster.map((/** @type {any} */ r) => r.name), state.statusChangeStudent.name,
    state.correctionStudent.name, state.transfer.student.name]
  return sql(`SELECT id, number_index AS numberIndex, school_code AS school, county_code AS county, name, gender,
      grade, class_no AS classNo FROM student
    WHERE school_code = ${q(state.school.code)} AND number_kind = 'G' AND status = '01' AND number_index IS NOT NULL
      AND name NOT IN (${taken.map(q).join(', ')})
    ORDER BY id LIMIT 2 OFFSET 300;`)
}

/** A name as the node masks it: its first character, then a * for each other. */
const masked = (/** @type {string} */ name) => [...name].map((c, i) => (i ? '*' : c)).join('')

/** Puts an open exchange.duplicate case about `student` into the store (see the header) and
 * returns its id. */
function openDuplicateCase(student, details) {
  const now = new Date().toISOString()
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
  // Five working days (stepDeadlineWorkingDays), Monday to Friday: only shown, never enforced here.
  const due = new Date(`${today}T00:00:00Z`)
  for (let n = 0; n < 5;) {
    due.setUTCDate(due.getUTCDate() + 1)
    if (due.getUTCDay() % 6 !== 0) ++n
  }
  const parties = JSON.stringify({ county: student.county, school: student.school })
  const id = `(SELECT id FROM wf_case WHERE type = '${kType}' AND json_extract(details, '$.conflictId') = ${details.conflictId})`
  sql(`BEGIN IMMEDIATE;
    INSERT INTO wf_case (id, type, subject, status, step, waiting_org, waiting_permission, version, opened_by, parties,
      details, opened_at, updated_at, step_started_on, due_on)
    VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM wf_case), '${kType}', ${q(`student:${student.numberIndex}`)}, 'open', 0,
      ${q(student.school)}, 'student.update', 1, 'system:exchange', ${q(parties)}, ${q(JSON.stringify(details))},
      '${now}', '${now}', '${today}', '${due.toISOString().slice(0, 10)}');
    INSERT INTO wf_case_event (case_id, action, actor, step, status, reason, at)
      VALUES (${id}, 'open', 'system:exchange', 0, 'open', '', '${now}');
    INSERT INTO exchange_conflict_case (conflict_id, case_id, student_id, state, created_at, updated_at)
      VALUES (${details.conflictId}, ${id}, ${student.id}, 'open', '${now}', '${now}');
    COMMIT;`)
  const [row] = sql(`SELECT id FROM wf_case WHERE type = '${kType}' AND json_extract(details, '$.conflictId') = ${details.conflictId};`)
  assert.ok(row, 'the case is in the store')
  return Number(row.id)
}

/** The verdict the node keeps for the national node. */
function verdictOf(conflictId) {
  const [row] = sql(`SELECT verdict, verdict_at AS verdictAt, state FROM exchange_conflict_case WHERE conflict_id = ${conflictId};`)
  return row
}

/** The time the page shows for an ISO instant (dateTime in utils/format, zh-CN, Beijing time). */
const shownTime = (/** @type {string} */ iso) =>
  new Date(iso).toLocaleString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' })

/** The conflict and the other registration as the page shows them. */
async function shown(page) {
  const text = async (/** @type {string} */ id) => (await page.getByTestId(id).innerText()).trim()
  const other = {}
  for (const key of ['province', 'school', 'stage', 'grade', 'status', 'name']) other[key] = await text(`case-duplicate-other-${key}`)
  return { kind: await text('case-duplicate-kind'), side: await text('case-duplicate-side'), since: await text('case-duplicate-since'), other }
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
/** axe on the page as it is (as tests/a11y.test.mjs): no serious or critical violation. */
async function audit(t, page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource)
  await finishAnimations(page)
  /** @type {{id:string,impact:string,help:string,nodes:string[]}[]} */
  const violations = await page.evaluate(async () => {
    // @ts-ignore injected above
    const r = await window.axe.run(document, { resultTypes: ['violations'] })
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }))
  })
  for (const v of violations) t.diagnostic(`axe case-duplicate: ${v.impact} ${v.id} — ${v.help} (${v.nodes.slice(0, 3).join(', ')})`)
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  assert.deepEqual(serious.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.join(', ')}`), [], 'axe: serious or critical violations')
}

test('a cross-province duplicate: the school sees the other registration and gives this one up', { skip: hasSqlite ? false : 'no sqlite3 CLI to put the case into the store' }, async (t) => {
  const [student] = freeStudents()
  assert.ok(student, 'a free student of the school')
  const details = {
    conflictId: 7, kind: 'number_held', side: 'incoming', since: '2026-11-30T02:30:00Z', state: 'open',
    other: { provinceCode: '110000', schoolCode: '2111000001', schoolName: '东城区第一小学', stage: 'primary', grade: 3, status: '01', name: '王**' },
    // This province's student as the node writes it: number and name masked (the number's
    // digits here are made up: the store holds only its blind index).
    student: { number: 'G4401**********0021', name: masked(student.name), gender: student.gender },
    school: { code: state.school.code, name: state.school.name, grade: student.grade, class: student.classNo, stage: 'primary' },
  }
  const id = openDuplicateCase(student, details)
  await withPage(t, {}, async ({ page, shot }) => {
    const inbox = await openInbox(page, 'registrar')
    const listed = inbox.items.find((/** @type {any} */ c) => c.id === id)
    assert.ok(listed, `case ${id} in the registrar's inbox`)
    assert.equal(listed.title, kTitle)
    const read = caseRead(page, id)
    await page.getByTestId(`case-open-${id}`).click()
    await page.waitForURL((u) => u.pathname === `/case/${id}`)
    const kase = await (await read).json()
    await settled(page)
    assert.equal(kase.type, kType)
    assert.deepEqual(kase.details, details, 'the API gives the details as stored')
    assert.deepEqual(kase.allowedActions, ['approve', 'reject'])
    assert.equal(kase.step.name, kSchoolStep)

    assert.equal((await page.getByTestId('case-status').innerText()).trim(), '审批中')
    assert.equal((await page.getByTestId('case-duplicate-student').innerText()).trim(),
      `${masked(student.name)}（G4401**********0021）· ${student.gender === 1 ? '男' : '女'}`)
    assert.ok((await page.getByTestId('case-duplicate-school').innerText()).startsWith(`${state.school.name}（${state.school.code}）`))
    assert.deepEqual(await shown(page), {
      kind: '学籍号相同', side: '后于对方登记', since: shownTime(details.since),
      other: { province: '北京市（110000）', school: '东城区第一小学（2111000001）', stage: '小学', grade: '小学3年级', status: '在读（01）', name: '王**' },
    })
    assert.equal(await page.getByTestId('case-duplicate-disputed').count(), 0, 'no warning for an open conflict')
    assert.equal((await page.getByTestId('case-duplicate-note').innerText()).trim(), kNote)
    assert.equal((await page.getByTestId('case-approve').innerText()).trim(), kKeep)
    assert.equal((await page.getByTestId('case-reject').innerText()).trim(), kYield)
    assert.equal(await page.getByTestId('case-approve').getAttribute('aria-describedby'), 'case-duplicate-note')
    const body = await page.getByTestId('case-detail-page').innerText()
    assert.ok(!body.includes('[object Object]'), 'no generic key/value list')
    assert.ok(body.includes(kTitle))
    await shot('case-duplicate')

    // 核实不实（放弃）: a reason is required.
    let posted = 0
    page.on('request', (r) => { if (r.url().endsWith(`/api/v1/cases/${id}/reject`)) posted++ })
    await page.getByTestId('case-reject').click()
    await page.getByRole('dialog', { name: `${kYield}：请说明理由` }).waitFor()
    await page.getByTestId('case-reason-confirm').click()
    await page.getByRole('dialog').getByRole('alert').filter({ hasText: '退回或不予通过须说明理由' }).waitFor()
    assert.equal(posted, 0, 'no reject without a reason')
    const kReason = '经核实该生已于 2025 年随父母迁往北京就读，未在本校就读'
    await page.getByTestId('case-reason').fill(kReason)
    const acted = page.waitForResponse((r) => r.url().endsWith(`/api/v1/cases/${id}/reject`) && r.request().method() === 'POST')
    await page.getByTestId('case-reason-confirm').click()
    const r = await acted
    assert.equal(r.status(), 200, await r.text())
    assert.equal(r.request().headers()['if-match'], `"v${kase.version}"`)
    const after = await r.json()
    assert.equal(after.status, 'rejected')
    await page.getByTestId('case-status').filter({ hasText: '未通过' }).waitFor()
    await page.getByTestId('case-reject').waitFor({ state: 'hidden' })
    assert.equal(await page.getByTestId('case-approve').count(), 0)
    assert.equal(await page.getByTestId('case-duplicate-note').count(), 0, 'the explanation is for deciding only')
    assert.equal(await historyItems(page, 2), 2)
    const last = (await page.getByTestId('case-event-1').innerText()).trim().replace(/\s+：/, '：') // the template's line break
    assert.equal(last, `${kYield} · ${kSchoolStep} · ${state.accounts.registrar.login}：${kReason}`)
    await settled(page)
    await shot('case-duplicate-rejected')
  })
  const verdict = verdictOf(details.conflictId)
  assert.equal(verdict.verdict, 'yield', 'the node keeps the verdict for the national node')
  assert.ok(verdict.verdictAt)
  assert.equal(verdict.state, 'open', 'the registration stays until the national node decides')
})

test('a disputed cross-province duplicate: the warning; the school and the county keep the registration', { skip: hasSqlite ? false : 'no sqlite3 CLI to put the case into the store' }, async (t) => {
  const [, student] = freeStudents()
  assert.ok(student, 'a second free student of the school')
  const details = {
    conflictId: 8, kind: 'document_held', side: 'holder', since: '2026-10-09T16:05:00Z', state: 'disputed',
    other: { provinceCode: '320000', schoolCode: '3132000002', schoolName: '玄武区第二初级中学', stage: 'junior', grade: 7, status: '02', name: '李*' },
  }
  const id = openDuplicateCase(student, details)
  await withPage({ name: `registrar: ${t.name}` }, {}, async ({ page, shot }) => {
    await signIn(page, 'registrar')
    const read = caseRead(page, id)
    await page.goto(`${state.base}/case/${id}`)
    await page.getByTestId('case-detail-page').waitFor()
    const kase = await (await read).json()
    await settled(page)
    assert.equal(kase.details.state, 'disputed')
    const warning = page.getByTestId('case-duplicate-disputed')
    await warning.waitFor()
    assert.equal((await warning.innerText()).trim(), kDisputed)
    assert.equal(await warning.getAttribute('role'), 'alert')
    assert.deepEqual(await shown(page), {
      kind: '身份证件相同', side: '先于对方登记', since: shownTime(details.since),
      other: { province: '江苏省（320000）', school: '玄武区第二初级中学（3132000002）', stage: '初中', grade: '初中1年级', status: '休学（02）', name: '李*' },
    })
    await audit(t, page)
    await shot('case-duplicate-disputed')

    const after = await approve(page, id)
    assert.equal(after.status, 'open')
    assert.equal(after.step.name, '县级教育行政部门确认')
    await page.getByTestId('case-approve').waitFor({ state: 'hidden' })
    await page.getByTestId('case-event-1').filter({ hasText: `${kKeep} · ${kSchoolStep}` }).waitFor()
  })
  await withPage({ name: `county: ${t.name}` }, {}, async ({ page }) => {
    const after = await approveFromInbox(page, 'county', id)
    assert.equal(after.status, 'approved')
    await page.getByTestId('case-status').filter({ hasText: '已通过' }).waitFor()
    await page.getByTestId('case-event-2').filter({ hasText: `${kKeep} · 县级教育行政部门确认 · ${state.accounts.county.login}` }).waitFor()
  })
  assert.equal(verdictOf(details.conflictId).verdict, 'keep')
})
