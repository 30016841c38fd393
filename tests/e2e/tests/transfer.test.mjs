// (t) A transfer (转学) between two counties of the province, four people each in their own
// browser session: the receiving school's registrar looks the student up and opens the
// case; the receiving county approves; a third county's officer neither has it in the
// inbox nor can open it (API 404, "不存在或无权访问"); the sending school's head and the
// sending county (e2e.county) approve; the case is 已通过, and the student now belongs to
// the receiving school with the status changes 21 转学(转出) and 22 转学(转入).
// run.mjs picks the parties: state.school sends, state.transfer.to receives,
// state.transfer.student (a G-numbered student of state.school no other test touches) moves.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { account, openMenu, settled, signIn, state, withPage } from '../lib/harness.mjs'
import { approveFromInbox, caseRead, openInbox } from '../lib/cases.mjs'

const { to, student } = state.transfer
const from = state.school
const kSteps = ['转入地县级教育行政部门审核', '转出校审核', '转出地县级教育行政部门审核']
/** The name as the server masks it: the first character, then one * per character. */
const maskedName = (/** @type {string} */ name) => [...name][0] + '*'.repeat([...name].length - 1)
/** Today in China, YYYY-MM-DD (the transfer's date). */
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())

/** A withPage for one of the people: its own browser context, failures named after it. */
function as(t, who, opts, fn) {
  return withPage({ name: `${who}: ${t.name}` }, opts, fn)
}

test('a cross-county transfer with four users, each in their own browser session', async (t) => {
  let id = 0
  // (a) The receiving school's registrar opens the transfer; the session stays open for (f).
  await as(t, 'receiving registrar', {}, async ({ page, shot }) => {
    await signIn(page, 'transfer.receiver')
    await openMenu(page, 'transfer-new', 'transfer-new-page')
    await settled(page)
    await page.getByTestId('transfer-lookup-number').fill(student.number)
    await page.getByTestId('transfer-lookup-name').fill(student.name)
    const lookup = page.waitForResponse((r) => r.url().endsWith('/api/v1/transfers/lookup') && r.request().method() === 'POST')
    await page.getByTestId('transfer-lookup-submit').click()
    assert.equal((await lookup).status(), 200)
    const candidate = page.getByTestId('transfer-candidate')
    await candidate.filter({ hasText: from.name }).waitFor()
    const shown = await candidate.innerText()
    assert.ok(shown.includes(maskedName(student.name)), `candidate shows "${shown}", not the masked name ${maskedName(student.name)}`)
    assert.ok(!shown.includes(student.name), 'the candidate shows the whole name')
    assert.ok(!shown.includes(student.number), 'the candidate shows the whole student number')

    // The receiving school: the registrar's own, filled in already.
    assert.equal(await page.getByTestId('transfer-to-school').inputValue(), to.code)
    await page.getByTestId('transfer-grade').fill(student.grade)
    await page.getByTestId('transfer-class').fill('02')
    await page.getByTestId('transfer-reason').fill('随父母工作调动')
    await page.getByTestId('transfer-date').fill(today)
    await page.getByTestId('transfer-date').press('Tab')
    await shot('transfer-new')

    const opened = page.waitForResponse((r) => r.url().endsWith('/api/v1/transfers') && r.request().method() === 'POST')
    await page.getByTestId('transfer-submit').click()
    const r = await opened
    assert.equal(r.status(), 201, `POST /api/v1/transfers: ${r.status()} ${await r.text()}`)
    const kase = await r.json()
    assert.equal(kase.type, 'transfer.other_county')
    assert.deepEqual(kase.steps.map((s) => s.name), kSteps)
    assert.deepEqual(kase.details.to, { school: to.code, schoolName: to.name, grade: Number(student.grade), class: '02' })
    await page.waitForURL((u) => /^\/case\/\d+$/.test(u.pathname))
    id = Number(new URL(page.url()).pathname.split('/').pop())
    assert.equal(id, kase.id, 'the page went to another case than the one opened')
    await page.getByTestId('case-detail-page').waitFor()
    await settled(page)
    assert.equal((await page.getByTestId('case-status').innerText()).trim(), '审批中')
    const steps = await page.getByTestId('case-steps').innerText()
    for (const name of kSteps) assert.ok(steps.includes(name), `case-steps lacks ${name}: ${steps}`)
    // The opener may withdraw the case but approves none of its steps.
    await page.getByTestId('case-cancel').waitFor()
    assert.equal(await page.getByTestId('case-approve').count(), 0, 'approve shown to the opener')

    // (b) The receiving county's officer: the case in its inbox, opened, approved.
    await as(t, 'receiving county', {}, async ({ page, shot }) => {
      const kase = await approveFromInbox(page, 'transfer.rcounty', id, { shot, inboxShot: 'case-inbox', detailShot: 'case-detail' })
      assert.equal(kase.status, 'open')
      assert.equal(kase.step.name, kSteps[1])
      assert.equal((await page.getByTestId('case-status').innerText()).trim(), '审批中')
    })

    // (c) A third county's officer: not in the inbox, and the case page says not found.
    await as(t, 'bystander county', { allowHttp: [404] }, async ({ page }) => {
      const inbox = await openInbox(page, 'transfer.bystander')
      assert.ok(!inbox.items.some((c) => c.id === id), 'the case is in the bystander\'s inbox')
      assert.equal(await page.getByTestId(`case-open-${id}`).count(), 0)
      const read = caseRead(page, id)
      await page.goto(`${state.base}/case/${id}`)
      assert.equal((await read).status(), 404)
      const detail = page.getByTestId('case-detail-page')
      await detail.waitFor()
      await detail.getByTestId('state-error').getByText('不存在或无权访问').waitFor()
      const text = await detail.innerText()
      for (const leak of [maskedName(student.name), from.name, to.name]) assert.ok(!text.includes(leak), `the not-found page shows ${leak}`)
      for (const b of ['case-approve', 'case-return', 'case-reject', 'case-cancel']) assert.equal(await page.getByTestId(b).count(), 0, `${b} shown`)
    })

    // (d) The sending school's head.
    await as(t, 'sending school head', {}, async ({ page, shot }) => {
      const kase = await approveFromInbox(page, 'transfer.head', id, { shot })
      assert.equal(kase.status, 'open')
      assert.equal(kase.step.name, kSteps[2])
    })

    // (e) The sending county (e2e.county): the last step; the case is approved.
    await as(t, 'sending county', {}, async ({ page, shot }) => {
      const kase = await approveFromInbox(page, 'county', id, { shot })
      assert.equal(kase.status, 'approved')
      assert.deepEqual(kase.history.map((h) => h.action), ['open', 'approve', 'approve', 'approve'])
      assert.deepEqual(kase.history.map((h) => h.actor),
        ['transfer.receiver', 'transfer.rcounty', 'transfer.head', 'county'].map((k) => account(k).login))
      await page.getByTestId('case-status').filter({ hasText: '已通过' }).waitFor()
      for (const b of ['case-approve', 'case-return', 'case-reject', 'case-cancel']) assert.equal(await page.getByTestId(b).count(), 0, `${b} shown on a closed case`)
      await shot('case-approved')
    })

    // (f) Back in the registrar's session: the student is now at the receiving school, with
    // the status changes 21 and 22.
    const changes = page.waitForResponse((r) => r.url().includes(`/api/v1/students/${student.number}/changes`))
    await page.goto(`${state.base}/student/${student.number}`)
    await page.getByTestId('student-detail-page').waitFor()
    const listed = await changes
    assert.equal(listed.status(), 200)
    assert.deepEqual((await listed.json()).items.map((c) => c.type), ['21', '22'])
    await settled(page)
    await page.getByTestId('student-value-schoolCode').filter({ hasText: to.name }).waitFor()
    assert.match(await page.getByTestId('student-value-schoolCode').innerText(), new RegExp(to.code))
    const section = page.getByTestId('student-changes')
    await section.filter({ hasText: /转学[(（]转入[)）]/ }).waitFor()
    const text = await section.innerText()
    assert.match(text, /转学[(（]转出[)）]/, `student-changes lacks 转学(转出): ${text}`)
    await section.scrollIntoViewIfNeeded()
    await shot('student-changes')
  })
})

/**
 * The receiving registrar (transfer.receiver) asks for a child of 广西 (45, a province on another
 * node) by `number` and `name`, into grade 3 class `cls`: the lookup finds nobody here, the
 * form says which province; `beforeSubmit` runs on the filled form. The case opened (201).
 */
async function askOtherNode(page, number, name, cls, beforeSubmit = async () => {}) {
  await signIn(page, 'transfer.receiver')
  await openMenu(page, 'transfer-new', 'transfer-new-page')
  await settled(page)
  await page.getByTestId('transfer-lookup-number').fill(number)
  await page.getByTestId('transfer-lookup-name').fill(name)
  await page.getByTestId('transfer-lookup-submit').click()
  await page.getByTestId('transfer-lookup-error').waitFor()
  await page.getByTestId('transfer-other-node').click()
  await page.getByTestId('transfer-from-province').fill('45')
  await page.getByTestId('transfer-grade').fill('3')
  await page.getByTestId('transfer-class').fill(cls)
  await page.getByTestId('transfer-reason').fill('随父母工作调动')
  await page.getByTestId('transfer-date').fill(today)
  await page.getByTestId('transfer-date').press('Tab')
  await beforeSubmit()
  const opened = page.waitForResponse((r) => r.url().endsWith('/api/v1/transfers') && r.request().method() === 'POST')
  await page.getByTestId('transfer-submit').click()
  const r = await opened
  assert.equal(r.status(), 201, `POST /api/v1/transfers: ${r.status()} ${await r.text()}`)
  const kase = await r.json()
  assert.equal(kase.type, 'transfer.external_in')
  return kase
}

// (x) A student whose province runs its own node (广西, 45: not in this node's tree) is not
// found here; the registrar says so, names the province, and the case opens with this node's
// steps, then waits for that node (the exchange carries it). The registrar withdraws it.
test('a transfer from a province on another node waits for that node', async (t) => {
  await as(t, 'receiving registrar', { allowHttp: [404] }, async ({ page, shot }) => {
    const kase = await askOtherNode(page, 'G450102201603011234', '韦小宁', '02', () => shot('transfer-other-node'))
    assert.deepEqual(kase.steps.map((s) => s.name),
      ['转入地县级教育行政部门审核', '转入地省级教育行政部门审核', '转出省节点审核（转出校、转出县、转出省，经数据交换平台）'])
    assert.ok(!JSON.stringify(kase).includes('韦小宁'), 'the case shows the whole name')
    await page.waitForURL((u) => u.pathname === `/case/${kase.id}`)
    await settled(page)
    await page.getByTestId('case-details').filter({ hasText: '广西壮族自治区（其他节点）' }).waitFor()
    assert.equal(await page.getByTestId('case-approve').count(), 0, 'approve shown to the opener')
    await page.getByTestId('case-cancel').click()
    const cancelled = page.waitForResponse((r) => r.url().endsWith(`/api/v1/cases/${kase.id}/cancel`))
    await page.getByTestId('case-reason-confirm').click()
    assert.equal((await cancelled).status(), 200)
    await page.getByTestId('case-status').filter({ hasText: '已撤销' }).waitFor()
  })
})

// (w) A transfer from 广西 (45, another node) that this province has approved waits at that
// node's step, where nobody here can act: the receiving county and the province approve it,
// then the registrar sees the 转出省节点 section (no progress told yet), asks to withdraw it
// with a reason (202: the case stays open until the other node confirms), and the page shows
// the request and no withdraw button any more. Asked again, the API answers 409
// withdrawal_asked; a cancel at that step answers 422 transfer_at_other_node (docs/openapi.yaml).
test('a transfer waiting at another node is withdrawn by asking that node', async (t) => {
  const number = 'G450102201605051234'
  const reason = '家长改变工作安排，学生不再转入'
  await as(t, 'receiving registrar', { allowHttp: [404] }, async ({ page, shot }) => {
    const kase = await askOtherNode(page, number, '韦小安', '01')
    const id = kase.id
    await page.waitForURL((u) => u.pathname === `/case/${id}`)
    await settled(page)

    // The receiving county, then the province: the case goes on to the other node's step.
    await as(t, 'receiving county', {}, async ({ page }) => {
      const after = await approveFromInbox(page, 'transfer.rcounty', id)
      assert.equal(after.status, 'open')
      assert.equal(after.step.name, '转入地省级教育行政部门审核')
    })
    await as(t, 'receiving province', {}, async ({ page }) => {
      const after = await approveFromInbox(page, 'province', id)
      assert.equal(after.status, 'open')
      assert.equal(after.step.index, 2)
      assert.deepEqual(after.allowedActions, [], `the province may still act: ${after.allowedActions}`)
    })

    // Back with the registrar: the case read again waits for 广西's node, which has told nothing yet.
    const read = caseRead(page, id)
    await page.reload()
    const waiting = await (await read).json()
    await page.getByTestId('case-detail-page').waitFor()
    await settled(page)
    assert.deepEqual(waiting.allowedActions, ['withdraw'])
    assert.deepEqual(waiting.otherNode, { state: 'waiting', progress: null, withdrawal: null })
    const section = page.getByTestId('case-other-node')
    await section.filter({ hasText: '转出省节点进度' }).waitFor()
    await section.filter({ hasText: '转出省节点尚未报告进度' }).waitFor()
    assert.equal(await page.getByTestId('case-other-node-overdue').count(), 0, 'overdue shown without progress')
    assert.equal(await page.getByTestId('case-withdrawal').count(), 0, 'a withdrawal shown before one was asked')
    assert.equal(await page.getByTestId('case-cancel').count(), 0, 'cancel shown at the other node\'s step')
    assert.equal(await page.getByTestId('case-approve').count(), 0, 'approve shown to the opener')

    // 申请撤回 asks for a reason: none given, nothing is sent.
    const withdraw = page.getByTestId('case-withdraw')
    assert.equal((await withdraw.innerText()).trim(), '申请撤回')
    await withdraw.click()
    const confirm = page.getByTestId('case-reason-confirm')
    await confirm.waitFor({ state: 'visible' })
    let posted = false
    const onRequest = (/** @type {import('playwright-core').Request} */ q) => {
      if (q.url().endsWith(`/api/v1/cases/${id}/withdraw`)) posted = true
    }
    page.on('request', onRequest)
    await confirm.click()
    await page.getByRole('alert').filter({ hasText: '申请撤回须说明理由' }).waitFor()
    page.off('request', onRequest)
    assert.ok(!posted, 'a withdrawal without a reason was sent')

    await page.getByTestId('case-reason').fill(reason)
    const asked = page.waitForResponse((r) => r.url().endsWith(`/api/v1/cases/${id}/withdraw`) && r.request().method() === 'POST')
    await confirm.click()
    const answer = await asked
    assert.equal(answer.status(), 202, `withdraw: ${answer.status()} ${await answer.text()}`)
    assert.equal(answer.request().headers()['if-match'], `"v${waiting.version}"`)
    assert.deepEqual(answer.request().postDataJSON(), { reason })
    const after = await answer.json()
    assert.equal(after.status, 'open')
    assert.equal(after.otherNode.withdrawal.reason, reason)
    assert.equal(after.otherNode.withdrawal.askedBy, account('transfer.receiver').login)
    assert.deepEqual(after.allowedActions, [])

    await page.locator('.el-message').filter({ hasText: '撤回申请已提交，将由转出省节点确认' }).waitFor()
    const shown = page.getByTestId('case-withdrawal')
    await shown.filter({ hasText: reason }).waitFor()
    const text = await shown.innerText()
    assert.match(text, /^已申请撤回（.+，e2e\.receiver）：/, `case-withdrawal: ${text}`)
    assert.ok(text.endsWith('等待转出省节点确认'), `case-withdrawal: ${text}`)
    await page.getByTestId('case-withdraw').waitFor({ state: 'detached' })
    assert.equal((await page.getByTestId('case-status').innerText()).trim(), '审批中')
    await section.scrollIntoViewIfNeeded()
    await shot('case-withdrawal')

    // Through the API with the page's session: asked once only; no cancel at that step.
    const me = await (await page.request.get(new URL('/api/v1/auth/me', page.url()).href)).json()
    const post = (/** @type {string} */ action, /** @type {object} */ body) =>
      page.request.post(new URL(`/api/v1/cases/${id}/${action}`, page.url()).href, {
        data: body,
        headers: { 'X-CSRF-Token': me.csrfToken, 'If-Match': `"v${after.version}"` },
      })
    const again = await post('withdraw', { reason: '再次申请' })
    assert.equal(again.status(), 409, `withdraw again: ${again.status()} ${await again.text()}`)
    assert.equal((await again.json()).error.code, 'withdrawal_asked')
    const cancel = await post('cancel', {})
    assert.equal(cancel.status(), 422, `cancel: ${cancel.status()} ${await cancel.text()}`)
    assert.equal((await cancel.json()).error.code, 'transfer_at_other_node')
  })
})
