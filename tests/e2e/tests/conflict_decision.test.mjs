// 跨省重复学籍裁定 (registry/conflicts) as the ministry's registry office on a national node,
// over a real one-person-one-number conflict. The suite's node is a province without a node
// identity, so the test builds three nodes of its own inside the suite's throwaway directory
// (lib/nodes.mjs), each with its own SQLite store, field keys and key folder, with the `nemis`
// command line only (no SQL), as the offline exchange runs between data centres:
//   - N, the national node (node.code 000000): `migrate`, `node init --role national` (its CA);
//   - B, 北京 (110000): `migrate`, `gen --students 5 --seed 7 --province 110000`, `node init`,
//     its public key certified on N (`node issue`) and installed (`node install`);
//   - A, 广东 (440000): likewise enrolled, without a roster of its own. The same child is put
//     into A: `exchange dump --table students` on B, the header and the first student with a
//     resident ID kept, its school moved to a 广东 school (学校标识码 2144010601, 学校名称
//     广州市天河区裁定测试小学, 学校所在区划 440106, 家庭住址 in 广州) and everything else
//     (学籍号, name, ID number…) left as B has it, then `import students` into A (the file
//     registers the school, as a county's first roster would);
//   - `exchange export --after 0 --receiver N's node.crt` on B, then on A; `exchange import`
//     on N, B's bundle first: A's child arrives second and is kept out as a conflict (学籍号相同,
//     open), which `nemis exchange disputes` lists;
//   - on N a national_registrar (ministry.registry at 000000, no authenticator needed) and a
//     province_registrar (gd.registry at 440000), then `nemis serve --port 0`.
// (1) The ministry signs in through the login page and opens the page from the menu: the
//     default filter 有争议 is empty; 待两省核查 shows the conflict with both sides (广东省 the
//     later registration, 北京市 the earlier, their schools, 在读, the masked name, no verdict
//     yet) and neither the child's full name nor the 18-digit ID number anywhere in the page;
//     axe finds no serious or critical violation. 裁定 opens the dialog; confirming with
//     nothing chosen shows both field errors and sends nothing; a reason of spaces is still
//     refused; 北京 and a reason: the POST answers 200, the success message, the row leaves
//     待两省核查 and 已裁定 (and 全部) shows it kept for 北京市（110000）without a 裁定 button. The
//     API agrees (winner 110000), and a second decision is refused (409: 裁定不能撤回).
// (2) A province's registrar on the national node: no menu item, the route is forbidden, and
//     the API answers 403 to the list and to a decision.
// (3) A provincial node (the suite's) has no conflict register: 404 (the route's own answer,
//     not the router's) to its province registrar.
// Every server started here is stopped in after(). Waits are generous; no timing is asserted.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { account, finishAnimations, openMenu, settled, state, submitPassword, withPage } from '../lib/harness.mjs'
import { NodeClient } from '../lib/node.mjs'
import { nemisRunner, nodeStore, startServe, stopAll, writeNodeConfig } from '../lib/nodes.mjs'

const kEmpty = '没有符合条件的跨省重复学籍' // conflictDecision.empty
const kWinnerRequired = '请选择保留哪一省的学籍'
const kReasonRequired = '请写明裁定依据'
const kBeijing = '北京市（110000）'
const kGuangdong = '广东省（440000）'
const kKept = `保留 ${kBeijing} 的学籍` // conflictDecision.kept
const kReason = '经两省核实，该生在北京市就读，广东省的学籍为重复登记'
const kPassword = 'Nemis-E2e#conflicts-2026x'
const kMinistry = 'ministry.registry'
const kProvince = 'gd.registry'
// The 广东 school the child is moved to in A's copy of B's dump (天河区: no other school of A).
const kSchoolA = { code: '2144010601', name: '广州市天河区裁定测试小学', county: '440106' }

const conflictsPath = '/api/v1/exchange/conflicts'
/** The page's list request of `filter` ('' for 全部). */
const isList = (/** @type {import('playwright-core').Response} */ r, filter) => {
  const u = new URL(r.url())
  return r.request().method() === 'GET' && u.pathname === conflictsPath && (u.searchParams.get('state') ?? '') === filter
}
const isDecisionUrl = (/** @type {string} */ url) => /^\/api\/v1\/exchange\/conflicts\/\d+\/decision$/.test(new URL(url).pathname)

after(stopAll)

/**
 * A node of the test's own under `root` (lib/nodes.mjs, its node code, role and key folder
 * added) and `run(argv, input)`, which runs `nemis` with it and returns its standard output.
 */
function makeNode(root, name, code, role) {
  const dir = join(root, name)
  const config = writeNodeConfig(dir, `[node]
code = "${code}"
role = "${role}"
key_dir = "${join(dir, 'node')}"
`)
  return { name, code, dir, config, store: nodeStore(dir), run: nemisRunner(config) }
}

/** A province's node certified by the national CA and installed (nemis node init/issue/install). */
function enrol(national, province) {
  const key = province.run(['node', 'init'])
  assert.match(key, /-----BEGIN PUBLIC KEY-----/, `${province.name}: node init prints its public key`)
  const pub = join(province.dir, 'node.pub')
  writeFileSync(pub, key)
  const cert = national.run(['node', 'issue', '--code', province.code, '--public-key', pub])
  const crt = join(province.dir, 'node.crt.issued')
  writeFileSync(crt, cert)
  province.run(['node', 'install', '--certificate', crt, '--ca', join(national.dir, 'node/ca.crt')])
}

/** The conflict world: see the header. */
const world = {
  base: '',
  conflictId: 0,
  /** The child as B registered it (the dump's row). */
  child: { name: '', masked: '', idNumber: '', number: '' },
  /** B's school (from the dump). */
  schoolB: { code: '', name: '' },
}

/** A name as the node masks it: its first character, then a * for each other. */
const masked = (/** @type {string} */ name) => [...name].map((c, i) => (i === 0 ? c : '*')).join('')

before(async () => {
  const root = mkdtempSync(join(state.work, 'conflicts-'))
  const national = makeNode(root, 'national', '000000', 'national')
  const beijing = makeNode(root, 'beijing', '110000', 'provincial')
  const guangdong = makeNode(root, 'guangdong', '440000', 'provincial')

  national.run(['migrate'])
  national.run(['node', 'init', '--role', 'national'])
  beijing.run(['migrate'])
  beijing.run(['gen', '--students', '5', '--seed', '7', '--province', '110000', '--db', beijing.store])
  enrol(national, beijing)
  guangdong.run(['migrate'])
  enrol(national, guangdong)

  // B's students in the roster format (学籍号 first, CRLF lines, a BOM): the first with a
  // resident ID is the child; A's copy moves it to a 广东 school and keeps everything else.
  const dump = join(root, 'beijing-students.csv')
  beijing.run(['exchange', 'dump', '--table', 'students', '--format', 'csv', '--to', dump])
  const [header = '', ...rows] = readFileSync(dump, 'utf8').split('\r\n').filter((l) => l !== '')
  const cols = header.replace(/^\uFEFF/, '').split(',')
  const at = (/** @type {string} */ col) => {
    const i = cols.indexOf(col)
    if (i < 0) throw new Error(`the dump has no column ${col}: ${cols.join(',')}`)
    return i
  }
  const row = rows.map((l) => l.split(',')).find((c) => c[at('身份证件类型')] === '1')
  if (!row) throw new Error(`B's dump has no student with a resident ID:\n${rows.join('\n')}`)
  assert.ok(!rows.some((l) => l.includes('"')), 'no quoted field in the dump (the rewrite splits on commas)')
  assert.equal(row.length, cols.length, 'the child\'s row has every column')
  const name = row[at('姓名')] ?? ''
  world.child = { name, masked: masked(name), idNumber: row[at('身份证件号')] ?? '', number: row[at('学籍号')] ?? '' }
  assert.match(world.child.idNumber, /^\d{17}[\dX]$/, 'an 18-character resident ID')
  assert.ok([...name].length >= 2, `a name of two characters or more: ${name}`)
  world.schoolB = { code: row[at('学校标识码')] ?? '', name: row[at('学校名称')] ?? '' }
  assert.match(world.schoolB.code, /^\d{10}$/)
  const copy = [...row]
  copy[at('学校标识码')] = kSchoolA.code
  copy[at('学校名称')] = kSchoolA.name
  copy[at('学校所在区划')] = kSchoolA.county
  copy[at('家庭住址')] = '广州市天河区体育西路1号'
  const file = join(root, 'guangdong-students.csv')
  writeFileSync(file, `${header}\r\n${copy.join(',')}\r\n`)
  const imported = guangdong.run(['import', 'students', file])
  assert.match(imported, /1 名学生已登记/, imported)

  // Both provinces' changes to N, B's first: A's child arrives second, a conflict.
  const receiver = join(national.dir, 'node/node.crt')
  for (const p of [beijing, guangdong]) {
    const bundle = join(root, `${p.name}.bundle`)
    p.run(['exchange', 'export', '--after', '0', '--to', bundle, '--receiver', receiver])
    const applied = national.run(['exchange', 'import', bundle])
    assert.match(applied, p === beijing ? /冲突 0 条/ : /冲突 1 条/, `${p.name}'s bundle on N: ${applied}`)
  }
  // 冲突,类型,后到的省,后到省结论,先到的省,先到省结论,状态,发现时间
  const disputes = national.run(['exchange', 'disputes']).trim().split('\n').slice(1).map((l) => l.split(','))
  assert.equal(disputes.length, 1, `one conflict on N: ${JSON.stringify(disputes)}`)
  const [id = '', kind, incoming, , holder, , conflictState] = disputes[0] ?? []
  assert.deepEqual([kind, incoming, holder, conflictState], ['number_held', '440000', '110000', 'open'])
  world.conflictId = Number(id)

  national.run(['user', 'add', kMinistry, '--role', 'national_registrar', '--org', '000000', '--name', '教育部学籍处', '--password-stdin'], kPassword + '\n')
  national.run(['user', 'add', kProvince, '--role', 'province_registrar', '--org', '440000', '--name', '广东省学籍主管', '--password-stdin'], kPassword + '\n')
  world.base = (await startServe(national.name, national.config)).base
}, { timeout: 300000 })

/** Signs in at the national node through its login page (password only) and waits for home. */
async function signInAt(/** @type {import('playwright-core').Page} */ page, login) {
  await page.goto(world.base + '/login')
  await submitPassword(page, login, kPassword)
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  await page.getByTestId('home').waitFor()
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
/** axe on the page as it is (as tests/a11y.test.mjs): no serious or critical violation. */
async function audit(t, page, what) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource)
  await finishAnimations(page)
  /** @type {{id:string,impact:string,help:string,nodes:string[]}[]} */
  const violations = await page.evaluate(async () => {
    // @ts-ignore injected above
    const r = await window.axe.run(document, { resultTypes: ['violations'] })
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }))
  })
  for (const v of violations) t.diagnostic(`axe ${what}: ${v.impact} ${v.id} — ${v.help} (${v.nodes.slice(0, 3).join(', ')})`)
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  assert.deepEqual(serious.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.join(', ')}`), [], `axe (${what}): serious or critical violations`)
}

/** Neither the child's full name nor its ID number (nor its 学籍号, G + the ID) in `text`. */
function assertNoPersonalData(/** @type {string} */ text, /** @type {string} */ where) {
  assert.ok(!text.includes(world.child.idNumber), `${where} holds the child's ID number`)
  assert.ok(!text.includes(world.child.number), `${where} holds the child's 学籍号`)
  assert.ok(!text.includes(world.child.name), `${where} holds the child's full name`)
}

test('the ministry settles a cross-province conflict for 北京 on 跨省重复学籍裁定', async (t) => {
  const id = world.conflictId
  await withPage(t, {}, async ({ page, shot }) => {
    /** @type {string[]} */
    const decisions = []
    page.on('request', (r) => {
      if (r.method() === 'POST' && isDecisionUrl(r.url())) decisions.push(r.url())
    })
    await signInAt(page, kMinistry)

    // From the menu (学籍管理): the default filter, 有争议, has nothing.
    const disputed = page.waitForResponse((r) => isList(r, 'disputed'))
    await openMenu(page, 'national-conflicts', 'conflicts-page')
    assert.equal((await disputed).status(), 200)
    assert.match(await page.getByTestId('breadcrumb').innerText(), /跨省重复学籍裁定/)
    const empty = page.getByTestId('state-empty')
    await empty.waitFor()
    assert.equal((await empty.innerText()).trim(), kEmpty)
    assert.equal(await page.getByTestId('conflicts-filter-disputed').locator('input').isChecked(), true, '有争议 is the default filter')
    await settled(page)
    await shot('conflicts-disputed-empty')

    // 待两省核查: the conflict, both sides as the national node sees them.
    const open = page.waitForResponse((r) => isList(r, 'open'))
    await page.getByTestId('conflicts-filter-open').click()
    const openRes = await open
    assert.equal(openRes.status(), 200)
    assertNoPersonalData(await openRes.text(), 'the list\'s answer')
    const incoming = page.getByTestId(`conflict-${id}-incoming`)
    await incoming.waitFor()
    const rows = page.getByTestId('conflicts-table').locator('.el-table__body-wrapper .el-table__row')
    assert.equal(await rows.count(), 1, 'one conflict waiting for the provinces')
    const rowText = await rows.first().innerText()
    assert.match(rowText, /学籍号相同/, 'the kind')
    const incomingText = await incoming.innerText()
    for (const s of [kGuangdong, `${kSchoolA.name}（${kSchoolA.code}）`, world.child.masked, '在读（01）', '本省核查：未报送']) {
      assert.ok(incomingText.includes(s), `the later registration shows ${s}: ${incomingText}`)
    }
    const holderText = await page.getByTestId(`conflict-${id}-holder`).innerText()
    for (const s of [kBeijing, `${world.schoolB.name}（${world.schoolB.code}）`, world.child.masked, '在读（01）', '本省核查：未报送']) {
      assert.ok(holderText.includes(s), `the earlier registration shows ${s}: ${holderText}`)
    }
    assert.ok(!incomingText.includes(kBeijing) && !holderText.includes(kGuangdong), 'each side in its own column')
    assert.equal((await page.getByTestId(`conflict-${id}-state`).innerText()).trim(), '待两省核查')
    assert.equal(await page.getByTestId(`conflict-${id}-winner`).count(), 0, 'no winner yet')
    assertNoPersonalData(await page.content(), 'the page')
    await settled(page)
    await shot('conflicts-open')
    await audit(t, page, 'conflicts-open')

    // 裁定: the dialog offers both provinces' registrations.
    await page.getByTestId(`conflict-${id}-decide`).click()
    const dialog = page.locator('.el-dialog').filter({ has: page.getByTestId('conflict-confirm') })
    await dialog.waitFor()
    assert.match(await dialog.innerText(), new RegExp(`裁定冲突 ${id}`))
    const winnerB = page.getByTestId('conflict-winner-110000')
    const winnerA = page.getByTestId('conflict-winner-440000')
    assert.match(await winnerB.innerText(), new RegExp(`${kBeijing} · ${world.schoolB.name}`))
    assert.match(await winnerA.innerText(), new RegExp(`${kGuangdong} · ${kSchoolA.name}`))

    // Nothing chosen: both fields' errors, no request.
    await page.getByTestId('conflict-confirm').click()
    await dialog.locator('.el-form-item__error', { hasText: kWinnerRequired }).waitFor()
    await dialog.locator('.el-form-item__error', { hasText: kReasonRequired }).waitFor()
    assert.equal(decisions.length, 0, 'nothing sent without a winner and a reason')
    await shot('conflicts-dialog-errors')
    await audit(t, page, 'conflicts-dialog')

    // 北京 chosen, a reason of spaces: still refused, the winner's error gone.
    await winnerB.click()
    const reason = page.getByTestId('conflict-reason') // the textarea itself (ElInput passes it on)
    await reason.fill('   ')
    await page.getByTestId('conflict-confirm').click()
    await dialog.locator('.el-form-item__error', { hasText: kWinnerRequired }).waitFor({ state: 'detached' })
    assert.equal(await dialog.locator('.el-form-item__error', { hasText: kReasonRequired }).count(), 1)
    assert.equal(decisions.length, 0, 'nothing sent with a blank reason')

    // The reason: decided.
    await reason.fill(kReason)
    const decided = page.waitForResponse((r) => r.request().method() === 'POST' && isDecisionUrl(r.url()))
    const reloaded = page.waitForResponse((r) => isList(r, 'open'))
    await page.getByTestId('conflict-confirm').click()
    const res = await decided
    assert.equal(res.status(), 200)
    assert.deepEqual(res.request().postDataJSON(), { winner: '110000', reason: kReason })
    assert.deepEqual(await res.json(), { id, state: 'resolved', winner: '110000' })
    assert.ok(new URL(res.url()).pathname.endsWith(`/conflicts/${id}/decision`))
    assert.equal(decisions.length, 1, 'one decision sent')
    await page.locator('.el-message--success').filter({ hasText: `已裁定冲突 ${id}：${kKept}` }).waitFor()
    await dialog.waitFor({ state: 'hidden' })
    assert.equal((await reloaded).status(), 200)
    // Gone from 待两省核查.
    await empty.waitFor()
    assert.equal(await page.getByTestId(`conflict-${id}-incoming`).count(), 0)

    // 已裁定: kept for 北京, no 裁定 button.
    const resolved = page.waitForResponse((r) => isList(r, 'resolved'))
    await page.getByTestId('conflicts-filter-resolved').click()
    assert.equal((await resolved).status(), 200)
    const stateTag = page.getByTestId(`conflict-${id}-state`)
    await stateTag.waitFor()
    assert.equal((await stateTag.innerText()).trim(), '已裁定')
    assert.equal((await page.getByTestId(`conflict-${id}-winner`).innerText()).trim(), kKept)
    assert.equal(await page.getByTestId(`conflict-${id}-decide`).count(), 0, 'no 裁定 on a resolved conflict')
    assert.ok((await page.getByTestId(`conflict-${id}-holder`).innerText()).includes(kBeijing))
    assertNoPersonalData(await page.content(), 'the page (resolved)')
    await settled(page)
    await shot('conflicts-resolved')
    // 全部 asks without a state: the one conflict, resolved.
    const all = page.waitForResponse((r) => isList(r, ''))
    await page.getByTestId('conflicts-filter-all').click()
    assert.equal((await all).status(), 200)
    await page.getByTestId('conflicts-filter-all').locator('input:checked').waitFor({ state: 'attached' })
    await settled(page)
    assert.equal(await rows.count(), 1)
    assert.equal((await stateTag.innerText()).trim(), '已裁定')

    // The API to the same session: resolved for 110000.
    const api = await page.request.get(`${world.base}${conflictsPath}?state=resolved`)
    assert.equal(api.status(), 200)
    const body = await api.json()
    assert.equal(body.items.length, 1)
    const [item] = body.items
    assert.equal(item.id, id)
    assert.equal(item.state, 'resolved')
    assert.equal(item.winner, '110000')
    assert.ok(item.resolvedAt, 'the time it was resolved')
    assert.equal(item.incoming.province, '440000')
    assert.equal(item.holder.province, '110000')
    assert.equal(item.holder.name, world.child.masked)
    const none = await page.request.get(`${world.base}${conflictsPath}?state=open`)
    assert.deepEqual(await none.json(), { items: [] }, 'nothing left open')
  })

  // A decision cannot be taken back: the same conflict again is refused.
  const ministry = new NodeClient(world.base)
  await ministry.login(kMinistry, kPassword)
  await assert.rejects(ministry.call('POST', `${conflictsPath}/${id}/decision`, { winner: '440000', reason: kReason }), /: 409 .*conflict_resolved/)
})

test('a province\'s registrar on the national node: no 跨省重复学籍裁定, 403 from the API', async (t) => {
  const c = new NodeClient(world.base)
  await c.login(kProvince, kPassword)
  await assert.rejects(c.call('GET', `${conflictsPath}?state=open`), /: 403 /)
  await assert.rejects(c.call('GET', conflictsPath), /: 403 /)
  await assert.rejects(c.call('POST', `${conflictsPath}/${world.conflictId}/decision`, { winner: '440000', reason: kReason }), /: 403 /)

  await withPage(t, {}, async ({ page, shot }) => {
    /** @type {string[]} */
    const asked = []
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith(conflictsPath)) asked.push(r.url())
    })
    await signInAt(page, kProvince)
    // The registry's menu offers the province's 年度升级, not the ministry's 裁定.
    assert.equal(await page.getByTestId('menu-promotion').count(), 1, '年度升级 is offered to a province')
    assert.equal(await page.getByTestId('menu-national-conflicts').count(), 0, '跨省重复学籍裁定 offered to a province')
    await page.goto(`${world.base}/registry/conflicts`)
    await page.getByTestId('forbidden').waitFor()
    assert.equal(await page.getByTestId('conflicts-page').count(), 0)
    assert.deepEqual(asked, [], 'the page asked nothing')
    await settled(page)
    await shot('conflicts-province-forbidden')
  })
})

test('a provincial node has no conflict register: 404', async () => {
  const a = account('province')
  const c = new NodeClient(state.base)
  await c.login(a.login, a.password)
  // The route exists there too: its own answer, not the router's.
  await assert.rejects(c.call('GET', `${conflictsPath}?state=open`), /: 404 .*本节点不是国家节点，没有跨省重复学籍/)
  await assert.rejects(c.call('POST', `${conflictsPath}/1/decision`, { winner: '440000', reason: kReason }), /: 404 .*本节点不是国家节点/)
})
