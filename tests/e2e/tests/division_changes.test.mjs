// 行政区划变更 (org/division-changes): the GB/T 2260 changes the national node records and the
// provincial nodes receive. The suite's node is a province; the test builds a national node of
// its own inside the suite's throwaway directory (lib/nodes.mjs): node.code 000000, node.role
// national, `migrate` (which seeds the whole country's divisions into the organisation tree),
// `node init --role national`, then a nationwide officer (ministry.org: national_registrar at
// 000000, which holds org.view and org.create; no authenticator needed) and a province's officer
// on it (gd.org: province_registrar at 440000), and `nemis serve --port 0`.
// (1) The nationwide officer signs in through the login page and opens the page from the menu
//     (机构管理): the list is empty, the answer says `recordable`, the page explains itself and
//     offers 发布变更. In the dialog: nothing but a code → the browser's own field errors, no
//     request; 新设 440199 测试新区 under 广州市 (440100) with an effective date and an approval
//     number → 201 (the body as sent, the answer's record), the success message, the table's row;
//     新设 440106 (天河区, current) → 422, the server's message under 代码 (`exists`) and nothing
//     recorded; 广州市's institution page lists 440199 测试新区 among its children; 更名 440199 to
//     测试二区 → 201; 撤销 440199 (no name asked; 承继区划 440106) → 201, recorded under the name it
//     had. The table then lists the three newest first (撤销, 更名, 新设) with every column; the
//     API agrees, and the institution 440199 is in the tree under 440100, named 测试二区, closed;
//     广州市's page shows it struck through. Every change dated on or before today is in effect
//     at once: `appliedAt` set, 已生效 in the table.
// (2) The province's officer on the national node: the list, `recordable` false, and a record
//     refused 403 (org.create over 440000 only).
// (2b) The nationwide officer again: the dialog's hint on later dates; 新设 440197 测试远期区 dated
//     tomorrow (China) → 201 with `appliedAt` null, the message 已发布，<date> 起生效, the row
//     待生效; the institution 440197 is not in the tree yet (404, not among 广州市's children);
//     through the API a change dated before it (today) → 422 `before_scheduled` on effectiveOn,
//     nothing recorded.
// (2c) The nationwide officer, 学校划转 (a county split between several districts): 新设 asks
//     none; 撤销 440115 南沙区 (承继区划 440113) dated tomorrow (not before the change scheduled in
//     (2b)) with the school 2144011501 to 440112 and a second line it cannot read → the error
//     under the lines, nothing sent; the second school to 450102 (广西, full-width ＝) → 422, the
//     server's other_province message under the lines naming 2144011502, nothing recorded; the
//     one school alone (written with a space) → 201 with `schoolSuccessors`, the row's 承继区划
//     440113 with 另有 1 所学校划入其他区划 and a tooltip listing 2144011501 → 440112; the API agrees,
//     every other change with `schoolSuccessors` {}.
// (3) A provincial node (the suite's) as its province's officer: the page lists but offers no
//     record form; the API refuses a record 404 `not_national` with the server's words.
// Every server started here is stopped in after(). No timing is asserted (should the suite run
// across midnight in China, the change dated tomorrow would take effect during (2b)).
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { account, openMenu, settled, signIn, state, submitPassword, withPage } from '../lib/harness.mjs'
import { NodeClient } from '../lib/node.mjs'
import { nemisRunner, writeNodeConfig, startServe, stopAll } from '../lib/nodes.mjs'

const kPassword = 'Nemis-E2e#divisions-2026x'
const kMinistry = 'ministry.org'
const kProvince = 'gd.org'
const changesPath = '/api/v1/divisions/changes'
const kNote = '国家节点发布的行政区划变更，各省节点自动接收；新设区划随即（生效日期在今后的，届时）出现在机构树中'
const kEmpty = '暂无行政区划变更' // divisionChange.empty
const kNotNational = '行政区划变更由国家节点发布，本节点从国家节点接收'
const kNew = { code: '440199', parent: '440100', name: '测试新区', renamed: '测试二区' }
const kEffective = '2025-12-01'
const kReference = '国函〔2025〕88号'
const kLater = { code: '440197', name: '测试远期区' }
const kSplit = { code: '440115', name: '南沙区', successor: '440113', school: '2144011501', to: '440112', other: '2144011502', otherTo: '450102' }
const kSplitHint = '一县分设几区时填写：划入其他区划的学校，每行一所；未列出的学校随承继区划'
const kIsoUtc = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/

/** The business date in China `days` from today, YYYY-MM-DD. */
function chinaDate(/** @type {number} */ days) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
  const d = new Date(`${today}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** The page's list request. */
const isList = (/** @type {import('playwright-core').Response} */ r) =>
  r.request().method() === 'GET' && new URL(r.url()).pathname === changesPath
const isRecord = (/** @type {import('playwright-core').Response} */ r) =>
  r.request().method() === 'POST' && new URL(r.url()).pathname === changesPath

after(stopAll)

const world = { base: '' }

before(async () => {
  const dir = join(mkdtempSync(join(state.work, 'divisions-')), 'national')
  const config = writeNodeConfig(dir, `[node]
code = "000000"
role = "national"
key_dir = "${join(dir, 'node')}"
`)
  const run = nemisRunner(config)
  run(['migrate'])
  run(['node', 'init', '--role', 'national'])
  run(['user', 'add', kMinistry, '--role', 'national_registrar', '--org', '000000', '--name', '教育部机构管理', '--password-stdin'], kPassword + '\n')
  run(['user', 'add', kProvince, '--role', 'province_registrar', '--org', '440000', '--name', '广东省机构管理', '--password-stdin'], kPassword + '\n')
  world.base = (await startServe('national', config)).base
}, { timeout: 300000 })

/** Signs in at the national node through its login page (password only) and waits for home. */
async function signInAt(/** @type {import('playwright-core').Page} */ page, login) {
  await page.goto(world.base + '/login')
  await submitPassword(page, login, kPassword)
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  await page.getByTestId('home').waitFor()
}

/** The date picker's text box (the test id is on its wrapper). */
const dateInput = (/** @type {import('playwright-core').Page} */ page) => page.getByTestId('division-change-effectiveOn').locator('input')

/**
 * @typedef {{kind: 'add'|'rename'|'retire', code: string, name?: string, successor?: string,
 *   schools?: string, effectiveOn?: string}} Change
 */

/**
 * Fills the open dialog for one change (kind, code, name or successor and 学校划转, effective
 * date, approval number).
 * @param {import('playwright-core').Page} page
 * @param {Change} change
 */
async function fillChange(page, change) {
  await page.getByTestId(`division-change-kind-${change.kind}`).click()
  await page.getByTestId('division-change-code').fill(change.code)
  if (change.kind === 'retire') {
    assert.equal(await page.getByTestId('division-change-name').count(), 0, '撤销 asks no name')
    await page.getByTestId('division-change-successor').fill(change.successor ?? '')
    await page.getByTestId('division-change-schoolSuccessors').fill(change.schools ?? '')
  } else {
    assert.equal(await page.getByTestId('division-change-successor').count(), 0, `${change.kind} asks no successor`)
    assert.equal(await page.getByTestId('division-change-schoolSuccessors').count(), 0, `${change.kind} asks no 学校划转`)
    await page.getByTestId('division-change-name').fill(change.name ?? '')
  }
  const date = dateInput(page)
  await date.fill(change.effectiveOn ?? kEffective)
  await date.press('Enter')
  // A click outside closes the picker's panel, should Enter have left it open over the form.
  await page.locator('.el-dialog__title').click()
  await page.getByTestId('division-change-reference').fill(kReference)
}

/**
 * Fills the open dialog for one change and submits it; resolves with the POST's response.
 * @param {import('playwright-core').Page} page
 * @param {Change} change
 */
async function record(page, change) {
  await fillChange(page, change)
  return submitChange(page)
}

/** Submits the open dialog; resolves with the POST's response. */
async function submitChange(/** @type {import('playwright-core').Page} */ page) {
  const answer = page.waitForResponse(isRecord)
  await page.getByTestId('division-change-submit').click()
  return answer
}

/** The table's rows, top to bottom, as their cells' text. */
async function tableRows(/** @type {import('playwright-core').Page} */ page) {
  const rows = page.getByTestId('division-changes-table').locator('.el-table__body-wrapper .el-table__row')
  const out = []
  for (let i = 0; i < (await rows.count()); i++) {
    out.push(await rows.nth(i).locator('td').evaluateAll((tds) => tds.map((td) => (td.textContent ?? '').trim())))
  }
  return out
}

test('a nationwide officer records 新设, 更名 and 撤销 of 440199 on 行政区划变更', async (t) => {
  await withPage(t, { allowHttp: [422] }, async ({ page, shot }) => {
    /** @type {string[]} */
    const posts = []
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === changesPath) posts.push(r.postData() ?? '')
    })
    await signInAt(page, kMinistry)

    // From the menu (机构管理): nothing recorded yet, and the caller may record.
    const listed = page.waitForResponse(isList)
    await openMenu(page, 'division-changes', 'division-changes-page')
    const first = await listed
    assert.equal(first.status(), 200)
    assert.deepEqual(await first.json(), { items: [], recordable: true })
    assert.match(await page.getByTestId('breadcrumb').innerText(), /行政区划变更/)
    assert.match(await page.getByTestId('division-changes-note').innerText(), new RegExp(kNote))
    const empty = page.getByTestId('state-empty')
    await empty.waitFor()
    assert.equal((await empty.innerText()).trim(), kEmpty)
    await settled(page)
    await shot('division-changes-empty')

    // 发布变更: the dialog; a code alone is refused in the browser, nothing sent.
    await page.getByTestId('division-change-new').click()
    const dialog = page.locator('.el-dialog').filter({ has: page.getByTestId('division-change-submit') })
    await dialog.waitFor()
    assert.equal(await page.getByTestId('division-change-kind-add').locator('input').isChecked(), true, '新设 is the default')
    await page.getByTestId('division-change-code').fill(kNew.code)
    await page.getByTestId('division-change-submit').click()
    await page.getByTestId('division-change-error-name').getByText('请填写区划名称').waitFor()
    await page.getByTestId('division-change-error-reference').getByText('请填写批准文号').waitFor()
    assert.equal(posts.length, 0, 'nothing sent without a name and an approval number')

    // 新设 440199 测试新区 under 广州市.
    const added = await record(page, { kind: 'add', code: kNew.code, name: kNew.name })
    assert.equal(added.status(), 201)
    assert.deepEqual(added.request().postDataJSON(), { kind: 'add', code: kNew.code, name: kNew.name, effectiveOn: kEffective, reference: kReference })
    const add = await added.json()
    assert.equal(typeof add.seq, 'number')
    assert.deepEqual({ ...add, seq: 0, recordedAt: '', receivedAt: '', appliedAt: '' },
      { seq: 0, kind: 'add', code: kNew.code, name: kNew.name, successor: '', schoolSuccessors: {}, effectiveOn: kEffective, reference: kReference, recordedAt: '', receivedAt: '', appliedAt: '' })
    assert.match(add.recordedAt, kIsoUtc, 'an ISO 8601 UTC time')
    assert.equal(add.receivedAt, add.recordedAt, 'the national node took it when it recorded it')
    assert.match(add.appliedAt ?? '', kIsoUtc, 'dated before today: in effect at once')
    await page.locator('.el-message--success').filter({ hasText: `已发布：新设 ${kNew.code} ${kNew.name}` }).waitFor()
    await dialog.waitFor({ state: 'hidden' })
    await page.getByTestId(`division-change-${add.seq}-code`).waitFor()
    assert.equal((await page.getByTestId(`division-change-${add.seq}-kind`).innerText()).trim(), '新设')
    assert.equal((await page.getByTestId(`division-change-${add.seq}-name`).innerText()).trim(), kNew.name)
    assert.equal((await page.getByTestId(`division-change-${add.seq}-successor`).innerText()).trim(), '—')
    assert.equal((await page.getByTestId(`division-change-${add.seq}-effectiveOn`).innerText()).trim(), kEffective)
    assert.equal((await page.getByTestId(`division-change-${add.seq}-reference`).innerText()).trim(), kReference)
    await settled(page)
    await shot('division-changes-added')

    // 新设 440106 (天河区 is current): 422, the server's message under 代码, nothing recorded.
    await page.getByTestId('division-change-new').click()
    await dialog.waitFor()
    const refused = await record(page, { kind: 'add', code: '440106', name: '天河新区' })
    assert.equal(refused.status(), 422)
    const body = await refused.json()
    assert.equal(body.error.code, 'validation_failed')
    const codeError = body.error.fields.find((/** @type {{field:string}} */ f) => f.field === 'code')
    assert.equal(codeError?.code, 'exists', JSON.stringify(body.error.fields))
    const shown = page.getByTestId('division-change-error-code')
    await shown.waitFor()
    assert.equal((await shown.innerText()).trim(), codeError.message, 'the server\'s own words under 代码')
    assert.match(codeError.message, /440106/)
    assert.equal(await dialog.isVisible(), true, 'the dialog stays open')
    await shot('division-changes-exists')
    await page.getByTestId('division-change-cancel').click()
    await dialog.waitFor({ state: 'hidden' })

    // 广州市's institution page lists the new division among its children.
    await page.goto(`${world.base}/org/${kNew.parent}`)
    await page.getByTestId('org-page').waitFor()
    const child = page.getByTestId(`org-child-${kNew.code}`)
    await child.waitFor()
    assert.equal((await child.innerText()).trim(), kNew.name)
    await settled(page)
    await shot('division-changes-org-child')

    // 更名 440199 → 测试二区, then 撤销 it with 天河区 as its successor.
    await page.goto(`${world.base}/org/division-changes`)
    await page.getByTestId(`division-change-${add.seq}-code`).waitFor()
    await page.getByTestId('division-change-new').click()
    await dialog.waitFor()
    const renamed = await record(page, { kind: 'rename', code: kNew.code, name: kNew.renamed })
    assert.equal(renamed.status(), 201)
    const rename = await renamed.json()
    assert.ok(rename.seq > add.seq, 'a later number')
    assert.deepEqual([rename.kind, rename.code, rename.name, rename.successor], ['rename', kNew.code, kNew.renamed, ''])
    assert.match(rename.appliedAt ?? '', kIsoUtc, 'in effect at once')
    await page.locator('.el-message--success').filter({ hasText: `已发布：更名 ${kNew.code} ${kNew.renamed}` }).waitFor()
    await dialog.waitFor({ state: 'hidden' })
    await page.getByTestId(`division-change-${rename.seq}-code`).waitFor()

    await page.getByTestId('division-change-new').click()
    await dialog.waitFor()
    const retired = await record(page, { kind: 'retire', code: kNew.code, successor: '440106' })
    assert.equal(retired.status(), 201)
    assert.deepEqual(retired.request().postDataJSON(), { kind: 'retire', code: kNew.code, successor: '440106', effectiveOn: kEffective, reference: kReference })
    const retire = await retired.json()
    assert.ok(retire.seq > rename.seq, 'a later number')
    assert.deepEqual([retire.kind, retire.code, retire.name, retire.successor], ['retire', kNew.code, kNew.renamed, '440106'], 'recorded under the name it had')
    assert.deepEqual(retire.schoolSuccessors, {}, 'no school sent elsewhere')
    assert.match(retire.appliedAt ?? '', kIsoUtc, 'in effect at once')
    await page.locator('.el-message--success').filter({ hasText: `已发布：撤销 ${kNew.code} ${kNew.renamed}` }).waitFor()
    await dialog.waitFor({ state: 'hidden' })
    await page.getByTestId(`division-change-${retire.seq}-code`).waitFor()
    assert.equal(await page.getByTestId(`division-change-${retire.seq}-split`).count(), 0, 'no school sent elsewhere')

    // Newest first, every column.
    await settled(page)
    const rows = await tableRows(page)
    assert.equal(rows.length, 3, JSON.stringify(rows))
    // Columns: 序号 变更类型 代码 名称 承继区划 生效日期 状态/生效 批准文号 发布时间 本节点接收时间.
    assert.deepEqual(rows.map((r) => [...r.slice(0, 6), r[7]]), [
      [String(retire.seq), '撤销', kNew.code, kNew.renamed, '440106', kEffective, kReference],
      [String(rename.seq), '更名', kNew.code, kNew.renamed, '—', kEffective, kReference],
      [String(add.seq), '新设', kNew.code, kNew.name, '—', kEffective, kReference],
    ])
    for (const r of rows) assert.ok(r[8] && r[8] === r[9], `发布时间 and 本节点接收时间 shown and equal on the national node: ${r.join(' | ')}`)
    for (const r of rows) assert.match(r[6] ?? '', /^已生效 \S/, `状态/生效: in effect, with the time: ${r.join(' | ')}`)
    assert.match((await page.getByTestId(`division-change-${add.seq}-applied`).innerText()).trim(), /^已生效 \d{4}\/\d{1,2}\/\d{1,2} \d\d:\d\d:\d\d$/)
    assert.equal(posts.length, 4, 'four records sent (one refused)')
    await shot('division-changes-three')

    // The API to the same session agrees, and the institution is in the tree under 广州市.
    const api = await page.request.get(`${world.base}${changesPath}`)
    assert.equal(api.status(), 200)
    const list = await api.json()
    assert.equal(list.recordable, true)
    assert.deepEqual(list.items.map((/** @type {{seq:number,kind:string}} */ c) => [c.seq, c.kind]),
      [[retire.seq, 'retire'], [rename.seq, 'rename'], [add.seq, 'add']])
    assert.deepEqual(list.items.map((/** @type {{appliedAt:string|null}} */ c) => c.appliedAt), [retire.appliedAt, rename.appliedAt, add.appliedAt])
    const limited = await page.request.get(`${world.base}${changesPath}?limit=1`)
    assert.deepEqual((await limited.json()).items.map((/** @type {{seq:number}} */ c) => c.seq), [retire.seq], 'limit=1: the newest')
    const org = await page.request.get(`${world.base}/api/v1/orgs/${kNew.code}`)
    assert.equal(org.status(), 200)
    const inst = await org.json()
    assert.deepEqual([inst.code, inst.parentCode, inst.level, inst.name, inst.open], [kNew.code, kNew.parent, 'county', kNew.renamed, false])

    // 广州市's page: the child renamed and struck through (closed).
    await page.goto(`${world.base}/org/${kNew.parent}`)
    await child.waitFor()
    assert.equal((await child.innerText()).trim(), kNew.renamed)
    assert.match((await child.getAttribute('class')) ?? '', /\bclosed\b/)
  })
})

test('a province\'s officer on the national node: the list, not recordable, a record refused 403', async () => {
  const c = new NodeClient(world.base)
  await c.login(kProvince, kPassword)
  const list = await c.call('GET', changesPath)
  assert.equal(list.recordable, false)
  assert.equal(list.items.length, 3, 'the changes the first test recorded')
  await assert.rejects(c.call('POST', changesPath, { kind: 'add', code: '440198', name: '测试三区', effectiveOn: kEffective, reference: kReference }), /: 403 /)
  await assert.rejects(c.call('GET', `${changesPath}?limit=0`), /: 400 .*bad_parameter/)
})

test('a change dated tomorrow is published at once and 待生效 until then; an earlier date is refused', async (t) => {
  const tomorrow = chinaDate(1)
  const today = chinaDate(0)
  await withPage(t, {}, async ({ page, shot }) => {
    await signInAt(page, kMinistry)
    const listed = page.waitForResponse(isList)
    await page.goto(`${world.base}/org/division-changes`)
    const before = await (await listed).json()
    assert.equal(before.items.length, 3, 'the changes the first test recorded')
    await page.getByTestId(`division-change-${before.items[0].seq}-code`).waitFor()

    // The dialog says what a later date does.
    await page.getByTestId('division-change-new').click()
    const dialog = page.locator('.el-dialog').filter({ has: page.getByTestId('division-change-submit') })
    await dialog.waitFor()
    assert.equal((await page.getByTestId('division-change-effective-hint').innerText()).trim(), '生效日期在今后的，先行发布，届时各节点同时生效')
    assert.equal(await dateInput(page).inputValue(), today, 'today (China) by default')

    // 新设 440197 测试远期区, dated tomorrow: recorded, not yet in effect.
    const added = await record(page, { kind: 'add', code: kLater.code, name: kLater.name, effectiveOn: tomorrow })
    assert.equal(added.status(), 201)
    assert.deepEqual(added.request().postDataJSON(), { kind: 'add', code: kLater.code, name: kLater.name, effectiveOn: tomorrow, reference: kReference })
    const later = await added.json()
    assert.deepEqual([later.kind, later.code, later.name, later.effectiveOn, later.appliedAt], ['add', kLater.code, kLater.name, tomorrow, null])
    assert.match(later.recordedAt, kIsoUtc, 'recorded (and published) at once')
    await page.locator('.el-message--success').filter({ hasText: `已发布，${tomorrow} 起生效` }).waitFor()
    await dialog.waitFor({ state: 'hidden' })
    const pending = page.getByTestId(`division-change-${later.seq}-applied`)
    await pending.waitFor()
    assert.equal((await pending.innerText()).trim(), '待生效')
    assert.match((await pending.getAttribute('class')) ?? '', /el-tag--warning/)
    assert.equal((await page.getByTestId(`division-change-${later.seq}-effectiveOn`).innerText()).trim(), tomorrow)
    assert.match((await page.getByTestId(`division-change-${before.items[0].seq}-applied`).innerText()).trim(), /^已生效 \S/)
    await settled(page)
    const rows = await tableRows(page)
    assert.equal(rows.length, 4, JSON.stringify(rows))
    assert.deepEqual(rows[0], [String(later.seq), '新设', kLater.code, kLater.name, '—', tomorrow, '待生效', kReference, rows[0]?.[8], rows[0]?.[8]], 'the newest first')
    await shot('division-changes-scheduled')
  })

  const c = new NodeClient(world.base)
  await c.login(kMinistry, kPassword)
  const list = await c.call('GET', changesPath)
  assert.equal(list.items.length, 4)
  assert.deepEqual([list.items[0].code, list.items[0].effectiveOn, list.items[0].appliedAt], [kLater.code, tomorrow, null], '待生效 through the API too')

  // Not in the tree before its day: no institution 440197, not among 广州市's children.
  await assert.rejects(c.call('GET', `/api/v1/orgs/${kLater.code}`), /: 404 /)
  const children = await c.call('GET', `/api/v1/orgs/${kNew.parent}/children?limit=500`)
  const codes = children.items.map((/** @type {{code:string}} */ o) => o.code)
  assert.ok(codes.includes(kNew.code) && !codes.includes(kLater.code), codes.join(' '))

  // Changes take effect in the order recorded: a date before the scheduled one is refused.
  /** @type {any} */
  let refused = null
  try {
    await c.call('POST', changesPath, { kind: 'add', code: '440196', name: '测试先行区', effectiveOn: today, reference: kReference })
  } catch (e) {
    refused = e
  }
  assert.ok(refused instanceof Error, 'a change dated before the scheduled one is refused')
  assert.match(refused.message, /: 422 /)
  const body = JSON.parse(refused.message.slice(refused.message.indexOf('{')))
  assert.equal(body.error.code, 'validation_failed')
  const dateError = body.error.fields.find((/** @type {{field:string}} */ f) => f.field === 'effectiveOn')
  assert.equal(dateError?.code, 'before_scheduled', JSON.stringify(body.error.fields))
  assert.equal((await c.call('GET', changesPath)).items.length, 4, 'nothing recorded')
})

test('a retirement sends some of its schools to another division (学校划转)', async (t) => {
  // Dated tomorrow: not before the change scheduled by the test before (before_scheduled).
  const tomorrow = chinaDate(1)
  /** @type {any} */
  let split = null
  await withPage(t, { allowHttp: [422] }, async ({ page, shot }) => {
    /** @type {string[]} */
    const posts = []
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === changesPath) posts.push(r.postData() ?? '')
    })
    await signInAt(page, kMinistry)
    const listed = page.waitForResponse(isList)
    await page.goto(`${world.base}/org/division-changes`)
    const before = await (await listed).json()
    await page.getByTestId(`division-change-${before.items[0].seq}-code`).waitFor()

    // 新设 asks no 学校划转; 撤销 does, under 承继区划, with its hint.
    await page.getByTestId('division-change-new').click()
    const dialog = page.locator('.el-dialog').filter({ has: page.getByTestId('division-change-submit') })
    await dialog.waitFor()
    const schools = page.getByTestId('division-change-schoolSuccessors')
    assert.equal(await schools.count(), 0, '新设 asks no 学校划转')
    await page.getByTestId('division-change-kind-retire').click()
    await schools.waitFor()
    assert.match(await dialog.innerText(), /学校划转（可选）/)
    assert.equal((await page.getByTestId('division-change-hint-schoolSuccessors').innerText()).trim(), kSplitHint)
    const successorBox = await page.getByTestId('division-change-successor').boundingBox()
    const schoolsBox = await schools.boundingBox()
    assert.ok(successorBox && schoolsBox && schoolsBox.y > successorBox.y, 'under 承继区划')

    // A second line it cannot read: the error under the lines, nothing sent.
    await fillChange(page, { kind: 'retire', code: kSplit.code, successor: kSplit.successor, effectiveOn: tomorrow,
      schools: `${kSplit.school}=${kSplit.to}\n${kSplit.other}` })
    await page.getByTestId('division-change-submit').click()
    const shown = page.getByTestId('division-change-error-schoolSuccessors')
    await shown.getByText('第 2 行格式应为 学校标识码=区划代码').waitFor()
    assert.equal(posts.length, 0, 'nothing sent with a line it cannot read')
    // Every other field is filled: its error (from choosing 撤销 on an empty form) goes.
    for (const f of ['code', 'successor', 'effectiveOn', 'reference']) await page.getByTestId(`division-change-error-${f}`).waitFor({ state: 'hidden' })
    await settled(page)
    await shot('division-changes-split-line')

    // The second school to 兴宁区 (广西): the server's other_province under the lines, naming it.
    await schools.fill(`${kSplit.school}=${kSplit.to}\n${kSplit.other}＝${kSplit.otherTo}\n`)
    const refused = await submitChange(page)
    assert.equal(refused.status(), 422)
    assert.deepEqual(refused.request().postDataJSON().schoolSuccessors, { [kSplit.school]: kSplit.to, [kSplit.other]: kSplit.otherTo })
    const body = await refused.json()
    assert.equal(body.error.code, 'validation_failed')
    const schoolError = body.error.fields.find((/** @type {{field:string}} */ f) => f.field === `schoolSuccessors.${kSplit.other}`)
    assert.equal(schoolError?.code, 'other_province', JSON.stringify(body.error.fields))
    assert.equal(body.error.fields.length, 1, JSON.stringify(body.error.fields))
    await shown.getByText(`${kSplit.other}：${schoolError.message}`).waitFor()
    assert.equal((await shown.innerText()).trim(), `${kSplit.other}：承继区划须在同一省内`)
    assert.equal(await dialog.isVisible(), true, 'the dialog stays open')
    await shot('division-changes-split-refused')

    // The one school alone (school and division apart by a space): recorded, dated tomorrow.
    await schools.fill(`${kSplit.school} ${kSplit.to}`)
    const recorded = await submitChange(page)
    assert.equal(recorded.status(), 201)
    assert.deepEqual(recorded.request().postDataJSON(), {
      kind: 'retire', code: kSplit.code, successor: kSplit.successor, schoolSuccessors: { [kSplit.school]: kSplit.to },
      effectiveOn: tomorrow, reference: kReference,
    })
    split = await recorded.json()
    assert.deepEqual([split.kind, split.code, split.name, split.successor, split.effectiveOn, split.appliedAt],
      ['retire', kSplit.code, kSplit.name, kSplit.successor, tomorrow, null])
    assert.deepEqual(split.schoolSuccessors, { [kSplit.school]: kSplit.to })
    assert.equal(posts.length, 2, 'two records sent (one refused)')
    await page.locator('.el-message--success').filter({ hasText: `已发布，${tomorrow} 起生效` }).waitFor()
    await dialog.waitFor({ state: 'hidden' })

    // The row: 承继区划 440113, and the one school sent elsewhere, listed in a tooltip.
    await page.getByTestId(`division-change-${split.seq}-code`).waitFor()
    assert.equal((await page.getByTestId(`division-change-${split.seq}-successor`).innerText()).trim(), kSplit.successor)
    const line = page.getByTestId(`division-change-${split.seq}-split`)
    assert.equal((await line.innerText()).trim(), '另有 1 所学校划入其他区划')
    for (const c of before.items) assert.equal(await page.getByTestId(`division-change-${c.seq}-split`).count(), 0, `no split line on ${c.seq}`)
    await line.hover()
    const list = page.getByTestId(`division-change-${split.seq}-split-list`)
    await list.waitFor()
    assert.equal((await list.innerText()).trim(), `${kSplit.school} → ${kSplit.to}`)
    await settled(page)
    await shot('division-changes-split')
  })

  // The API agrees; every other change sends no school elsewhere.
  const c = new NodeClient(world.base)
  await c.login(kMinistry, kPassword)
  const list = await c.call('GET', changesPath)
  assert.equal(list.items[0].seq, split.seq, 'the newest first')
  assert.deepEqual(list.items[0].schoolSuccessors, { [kSplit.school]: kSplit.to })
  for (const item of list.items.slice(1)) assert.deepEqual(item.schoolSuccessors, {}, `${item.seq} ${item.kind} ${item.code}`)
})

test('a provincial node lists the changes but offers no record form; a record is refused 404', async (t) => {
  await withPage(t, {}, async ({ page, shot }) => {
    await signIn(page, 'province')
    const listed = page.waitForResponse(isList)
    await openMenu(page, 'division-changes', 'division-changes-page')
    const answer = await listed
    assert.equal(answer.status(), 200)
    const list = await answer.json()
    assert.equal(list.recordable, false, 'a provincial node records none')
    assert.ok(Array.isArray(list.items))
    await settled(page)
    assert.match(await page.getByTestId('division-changes-note').innerText(), new RegExp(kNote))
    if (list.items.length === 0) await page.getByTestId('state-empty').waitFor()
    else await page.getByTestId('division-changes-table').waitFor()
    assert.equal(await page.getByTestId('division-change-new').count(), 0, 'no 发布变更 on a provincial node')
    assert.equal(await page.getByTestId('division-change-form').count(), 0, 'no record form on a provincial node')
    await shot('division-changes-provincial')
  })
  const a = account('province')
  const c = new NodeClient(state.base)
  await c.login(a.login, a.password)
  await assert.rejects(c.call('POST', changesPath, { kind: 'add', code: '440199', name: '测试新区', effectiveOn: kEffective, reference: kReference }),
    new RegExp(`: 404 .*not_national.*${kNotNational}`))
})
