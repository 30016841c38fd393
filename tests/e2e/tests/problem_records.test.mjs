// (q) 问题学籍: the record-quality findings. run.mjs plants second registrations of
// generated students (gen --plant-duplicates: the copy a J-numbered student of another
// school of the same type), imports them and runs `nemis registry scan`. The county officer
// (e2e.county) sees the open findings per kind as the summary API counts them for it, the
// planted pairs among them by the kind of their form; drills down to its school, where a
// planted pair's original shows with its G number masked and the copy, a school of another
// county, by its school only; the trail leads back. An officer of a county holding neither
// side sees nothing of the pair: not in its lists, and the school by URL is 不存在或无权访问.
// Last (the tests before count the planted pairs open): another planted pair with a side at
// the school is reviewed side by side (核查) and decided 不是重复. The school's registrar is refused
// (403, the server's words shown) and nothing changes; the lowest authority over both
// schools (run.mjs adds the province's officer) sends it with the version read, the pair
// leaves the open list, its kind's count drops by one, and 已处理 shows the decision.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { account, openMenu, settled, signIn, state, steps, withPage } from '../lib/harness.mjs'
import { NodeClient } from '../lib/node.mjs'

const { school } = state
/** @type {{form:string,originalSchool:string,copySchool:string,originalId:string,copyName:string,copyBirthDate:string,originalCounty:string,copyCounty:string}[]} */
const planted = state.planted
const kKindOfForm = { exact: 'same_name_birth', homophone: 'similar_name', typo: 'similar_name', guardian: 'same_guardian_name' }
const kPairKinds = ['same_id_number', 'no_id_same_person', 'same_name_birth', 'same_guardian_name', 'similar_name']
/** The G number as the server masks it for a caller without student.view_sensitive. */
const maskedG = (/** @type {string} */ id) => `G${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`

// The pair the test follows: its original (G number) at the county's school, the copy in
// another county; the exact form if there is one (same_name_birth).
const mine = planted.filter((p) => p.originalSchool === school.code && p.copyCounty !== school.county)
const pair = mine.find((p) => p.form === 'exact') ?? mine[0]
const pairKind = pair ? kKindOfForm[/** @type {keyof typeof kKindOfForm} */ (pair.form)] : ''
// A county officer whose county holds neither side (the sibling's officer if it qualifies).
const outsider = ['totp', 'transfer.bystander', 'transfer.rcounty']
  .find((k) => pair && ![pair.originalCounty, pair.copyCounty].includes(account(k).org))

/** Planted pairs with a side where `at` says, by the kind their form calls for. */
function plantedWhere(/** @type {(p: typeof planted[number]) => boolean} */ at) {
  /** @type {Record<string, number>} */
  const out = Object.fromEntries(kPairKinds.map((k) => [k, 0]))
  for (const p of planted.filter(at)) out[kKindOfForm[/** @type {keyof typeof kKindOfForm} */ (p.form)]] += 1
  return out
}
const plantedInCounty = (/** @type {string} */ c) => plantedWhere((p) => p.originalCounty === c || p.copyCounty === c)
const plantedAtSchool = (/** @type {string} */ c) => plantedWhere((p) => p.originalSchool === c || p.copySchool === c)

const isSummary = (/** @type {string} */ org) => (/** @type {import('playwright-core').Response} */ r) =>
  r.url().includes('/api/v1/problem-records/summary') && (org ? new URL(r.url()).searchParams.get('org') === org : true)
const isList = (/** @type {string} */ org) => (/** @type {import('playwright-core').Response} */ r) => {
  const u = new URL(r.url())
  return u.pathname === '/api/v1/problem-records' && u.searchParams.get('org') === org
}
const digits = async (/** @type {import('playwright-core').Locator} */ l) => (await l.innerText()).replace(/[^\d]/g, '')

test('set-up planted a pair at the school and another county, and a county officer holding neither', () => {
  assert.equal(planted.length, 8, 'run.mjs plants 8 duplicates')
  assert.ok(pair, `no planted pair has its original at ${school.code} and its copy outside county ${school.county}: ${JSON.stringify(planted)}`)
  assert.ok(outsider, 'no county officer of the e2e node holds neither side of the pair')
})

/** Open findings per kind in the officer's list, all pages (the list's own scope filter). */
async function listedCounts(/** @type {NodeClient} */ api, /** @type {string} */ org) {
  /** @type {Record<string, number>} */
  const out = {}
  let after = ''
  do {
    const page = await api.call('GET', `/api/v1/problem-records?org=${org}&limit=200${after ? `&after=${after}` : ''}`)
    for (const i of page.items) out[i.kind] = (out[i.kind] ?? 0) + 1
    after = page.next ?? ''
  } while (after)
  return out
}

// The summary and the list are two views of the same rows: asked again and again, with and
// without `org`, the summary counts what the list lists.
test('the summary API counts what the list API lists, every time it is asked', async () => {
  for (const key of ['county', 'transfer.bystander']) {
    const who = account(key)
    const api = new NodeClient(state.base)
    await api.login(who.login, who.password)
    const listed = await listedCounts(api, who.org)
    for (const path of ['', `?org=${who.org}`, '', `?org=${who.org}`]) {
      const summary = await api.call('GET', `/api/v1/problem-records/summary${path}`)
      assert.equal(summary.org, who.org)
      for (const k of summary.kinds.map((x) => x.kind)) {
        assert.equal(summary.total[k], listed[k] ?? 0, `${key}: summary${path} counts ${summary.total[k]} ${k}, the list has ${listed[k] ?? 0}`)
      }
    }
  }
})

test('a county officer sees the counts, drills down to its school and finds the planted pair masked', async (t) => {
  assert.ok(pair)
  await withPage(t, {}, async ({ page, shot }) => {
    await signIn(page, 'county')
    const first = page.waitForResponse(isSummary(''))
    const firstList = page.waitForResponse(isList(school.county))
    await openMenu(page, 'problem-records', 'problems-page')
    const summary = await (await first).json()
    assert.equal(summary.org, school.county)
    assert.equal((await firstList).status(), 200)
    await page.getByTestId('problems-total').waitFor()
    await settled(page)

    // The planted pairs, and nothing else of a pair kind, by the kind of their form.
    const expected = plantedInCounty(school.county)
    for (const k of kPairKinds) assert.equal(summary.total[k], expected[k], `${k}: API ${summary.total[k]}, planted ${expected[k]}`)
    assert.ok(summary.total[pairKind] >= 1)
    // Every count on the page is the API's.
    const sum = Object.values(summary.total).reduce((n, c) => n + c, 0)
    assert.equal(await digits(page.getByTestId('problems-total')), String(sum))
    for (const k of summary.kinds) {
      assert.equal(await digits(page.getByTestId(`problems-kind-${k.kind}`)), String(summary.total[k.kind]), `kind ${k.kind}`)
    }
    const child = summary.children.find((c) => c.org === school.code)
    assert.ok(child, `the county's summary has no row for ${school.code}`)
    const plantedHere = plantedAtSchool(school.code)
    for (const k of kPairKinds) assert.equal(child.counts[k], plantedHere[k], `${k} at ${school.code}`)
    for (const c of summary.children) {
      const row = Object.values(c.counts).reduce((n, x) => n + x, 0)
      assert.equal(await digits(page.getByTestId(`problems-child-${c.org}-sum`)), String(row), `child ${c.org}`)
      assert.equal(await digits(page.getByTestId(`problems-child-${c.org}-${pairKind}`)), String(c.counts[pairKind]))
    }
    assert.match(await page.getByTestId('problems-kind-table').innerText(), /疑似重复：/)
    await shot('problems-county')

    // Down to the school: its summary and its findings.
    const atSchool = page.waitForResponse(isSummary(school.code))
    await page.getByTestId(`problems-child-${school.code}`).click()
    await page.waitForURL((u) => u.searchParams.get('org') === school.code)
    const schoolSummary = await (await atSchool).json()
    await page.getByTestId('problems-school-level').waitFor()
    await page.getByTestId(`problems-trail-${school.county}`).waitFor()
    assert.match(await page.getByTestId('problems-trail').innerText(), new RegExp(school.name))
    assert.equal(schoolSummary.org, school.code)
    assert.deepEqual(schoolSummary.total, child.counts, "the school's total is its row in the county's summary")
    await settled(page)
    assert.equal(await digits(page.getByTestId(`problems-kind-${pairKind}`)), String(schoolSummary.total[pairKind]))

    // The kind of the planted pair: its findings, the pair among them.
    const listed = page.waitForResponse((r) => isList(school.code)(r) && new URL(r.url()).searchParams.get('kind') === pairKind)
    await page.getByTestId(`problems-kind-${pairKind}`).click()
    const list = await (await listed).json()
    assert.equal(list.items.length, schoolSummary.total[pairKind], 'one page holds them all')
    const masked = maskedG(pair.originalId)
    const item = list.items.find((i) => [i.student, i.other].some((s) => s?.studentNumber === masked))
    assert.ok(item, `no ${pairKind} finding names ${masked}: ${JSON.stringify(list.items)}`)
    assert.equal(item.kind, pairKind)
    assert.equal(item.state, 'open')
    const mineSide = item.student.studentNumber === masked ? 'student' : 'other'
    const theirs = mineSide === 'student' ? item.other : item.student
    assert.deepEqual(theirs, { schoolCode: pair.copySchool, inScope: false }, 'the copy is outside the county: its school only')
    await page.getByTestId('problems-kind-picked').waitFor()
    await settled(page)
    const row = page.getByTestId('problems-table').locator('tr', { has: page.getByTestId(`problems-${mineSide}-${item.id}`) })
    const text = await row.innerText()
    assert.ok(text.includes(masked), `the row shows "${text}", not ${masked}`)
    assert.ok(!text.includes(pair.originalId), 'the row shows the whole ID number')
    assert.ok(text.includes(item[mineSide].name), 'the row lacks the student name')
    assert.ok(text.includes(item.kindName), `the row lacks the kind ${item.kindName}`)
    assert.ok(text.includes('待处理'), 'the row lacks the state')
    assert.ok(text.includes(pair.copySchool) && text.includes('不在您的管辖范围内'), 'the copy is not shown as out of scope')
    // First found today (China) by the scan of the set-up.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(item.firstSeen))
    assert.ok(text.includes(today), `the row lacks the found date ${today}`)
    // A masked number addresses nobody: no link to the student page.
    assert.equal(await row.locator('a[href^="/student/"]').count(), 0)
    assert.ok(!(await page.getByTestId('problems-page').innerText()).includes(pair.originalId))
    await shot('problems-school')

    // The trail leads back to the county.
    const back = page.waitForResponse(isSummary(school.county))
    await page.getByTestId(`problems-trail-${school.county}`).click()
    assert.deepEqual((await (await back).json()).total, summary.total, 'the county summary asked again answers other counts')
    await page.getByTestId(`problems-child-${school.code}`).waitFor()
  })
})

test('an officer of a county holding neither side does not see the planted pair', async (t) => {
  assert.ok(pair && outsider)
  const key = outsider
  const who = account(key)
  // Every finding the API gives this officer, page by page: none names the pair.
  const api = new NodeClient(state.base)
  await api.login(who.login, who.password, who.totpSecret ? await steps.code(who.login, who.totpSecret) : undefined)
  const masked = maskedG(pair.originalId)
  let after = ''
  let seen = 0
  do {
    const page = await api.call('GET', `/api/v1/problem-records?state=all&limit=200${after ? `&after=${after}` : ''}`)
    for (const i of page.items) {
      for (const s of [i.student, i.other]) {
        assert.ok(!s || (s.studentNumber !== masked && ![pair.originalSchool, pair.copySchool].includes(s.schoolCode)), `finding ${i.id} names the pair`)
      }
    }
    seen += page.items.length
    after = page.next ?? ''
  } while (after)

  await withPage(t, { allowHttp: [401, 404] }, async ({ page, shot }) => {
    await signIn(page, key)
    const first = page.waitForResponse(isSummary(''))
    await openMenu(page, 'problem-records', 'problems-page')
    const summary = await (await first).json()
    assert.equal(summary.org, who.org)
    const expected = plantedInCounty(who.org)
    for (const k of kPairKinds) assert.equal(summary.total[k], expected[k], `${k} in ${who.org}`)
    assert.equal(summary.children.some((c) => c.org === school.code), false)
    await page.getByTestId('problems-total').waitFor()
    await settled(page)
    assert.equal(await page.getByTestId(`problems-child-${school.code}`).count(), 0)
    const shown = await page.getByTestId('problems-page').innerText()
    assert.ok(!shown.includes(masked) && !shown.includes(school.name), 'the page names the pair or its school')
    if (seen === 0) await page.getByTestId('problems-list').getByTestId('state-empty').waitFor()

    // The county's school by URL: the API answers 404 and the page says so.
    const denied = page.waitForResponse(isSummary(school.code))
    await page.goto(`${state.base}/registry/problems?org=${school.code}`)
    const r = await denied
    assert.equal(r.status(), 404)
    assert.equal((await r.json()).error.code, 'not_found')
    await page.getByTestId('problems-page').getByTestId('state-error').getByText('不存在或无权访问').waitFor()
    assert.equal(await page.getByTestId('problems-table').count(), 0)
    await shot('problems-out-of-scope')
  })
})

test('the school registrar sees the pair at its school, masked on the page, and opens the student', async (t) => {
  assert.ok(pair)
  await withPage(t, {}, async ({ page, shot }) => {
    await signIn(page, 'registrar')
    const first = page.waitForResponse(isSummary(''))
    await openMenu(page, 'problem-records', 'problems-page')
    const summary = await (await first).json()
    assert.equal(summary.org, school.code, "the registrar's scope is its school")
    const expected = plantedAtSchool(school.code)
    for (const k of kPairKinds) assert.equal(summary.total[k], expected[k], `${k} at ${school.code}`)
    await page.getByTestId('problems-school-level').waitFor()
    await settled(page)
    const listed = page.waitForResponse((r) => isList(school.code)(r) && new URL(r.url()).searchParams.get('kind') === pairKind)
    await page.getByTestId(`problems-kind-${pairKind}`).click()
    const list = await (await listed).json()
    // student.view_sensitive at the school: the API sends the number whole (audited) ...
    const whole = `G${pair.originalId}`
    const item = list.items.find((i) => [i.student, i.other].some((s) => s?.studentNumber === whole))
    assert.ok(item, `no ${pairKind} finding names the original whole for its registrar`)
    // ... the page shows it masked, as the student list does, and links to the student.
    const link = page.getByTestId(`problems-link-${whole}`)
    await link.waitFor()
    assert.equal((await link.innerText()).trim(), maskedG(pair.originalId))
    assert.ok(!(await page.getByTestId('problems-page').innerText()).includes(pair.originalId))
    await shot('problems-registrar')
    await link.click()
    await page.waitForURL((u) => u.pathname === `/student/${whole}`)
    await page.getByTestId('student-detail-page').waitFor()
  })
})

// The pair the decision tests decide: a side at the school (its registrar sees it), not the
// pair the tests above follow; the exact form if there is one.
const others = planted.filter((p) => p !== pair && p.originalSchool !== p.copySchool && [p.originalSchool, p.copySchool].includes(school.code))
const decided = others.find((p) => p.form === 'exact') ?? others[0]
const decidedKind = decided ? kKindOfForm[/** @type {keyof typeof kKindOfForm} */ (decided.form)] : ''
/** The lowest authority over both schools of `p`: the county, city (4 digits + 00) or province they share. */
function authorityOf(/** @type {typeof planted[number]} */ p) {
  if (p.originalCounty === p.copyCounty) return p.originalCounty
  if (p.originalCounty.slice(0, 4) === p.copyCounty.slice(0, 4)) return `${p.originalCounty.slice(0, 4)}00`
  return state.province
}
const decider = decided
  ? Object.keys(state.accounts).find((k) => /_registrar$/.test(account(k).role) && account(k).org === authorityOf(decided))
  : undefined
const kReason = '经核实为两名学生：监护人与户籍地址均不同'
const kDocument = '粤教学籍〔2026〕7号'

/** Whether finding `i` is the decided pair: its copy at the copy's school by name, the other side at the original's school. */
function isDecided(/** @type {any} */ i) {
  if (!decided || i.kind !== decidedKind) return false
  const sides = [i.student, i.other]
  const copy = sides.find((s) => s?.schoolCode === decided.copySchool && (!s.inScope || (s.name === decided.copyName && s.birthDate === decided.copyBirthDate)))
  const original = sides.find((s) => s && s !== copy && s.schoolCode === decided.originalSchool)
  return !!copy && !!original && sides.some((s) => s?.inScope)
}
const isKindList = (/** @type {string} */ org, /** @type {string} */ st) => (/** @type {import('playwright-core').Response} */ r) =>
  isList(org)(r) && new URL(r.url()).searchParams.get('kind') === decidedKind && new URL(r.url()).searchParams.get('state') === st
const isDecision = (/** @type {number} */ id) => (/** @type {import('playwright-core').Response} */ r) =>
  r.request().method() === 'POST' && new URL(r.url()).pathname === `/api/v1/problem-records/${id}/decision`

test('set-up planted another pair with a side at the school, and an account of the authority over both schools', () => {
  assert.ok(decided, `no second planted pair has a side at ${school.code}: ${JSON.stringify(planted)}`)
  assert.ok(decider, `no registry officer of ${authorityOf(decided)} (the lowest authority over ${decided.originalSchool} and ${decided.copySchool}) in run.mjs`)
  assert.notEqual(decider, 'registrar')
})

test('the school registrar is not the deciding party of a pair: the refusal is shown and nothing changes', async (t) => {
  assert.ok(decided)
  const who = account('registrar')
  const api = new NodeClient(state.base)
  await api.login(who.login, who.password)
  await withPage(t, { allowHttp: [403] }, async ({ page, shot }) => {
    await signIn(page, 'registrar')
    const first = page.waitForResponse(isSummary(''))
    await openMenu(page, 'problem-records', 'problems-page')
    const summary = await (await first).json()
    assert.equal(summary.org, school.code)
    await page.getByTestId('problems-school-level').waitFor()
    await settled(page)
    const listed = page.waitForResponse(isKindList(school.code, 'open'))
    await page.getByTestId(`problems-kind-${decidedKind}`).click()
    const item = (await (await listed).json()).items.find(isDecided)
    assert.ok(item, `no open ${decidedKind} finding is the pair ${JSON.stringify(decided)}`)
    await settled(page)

    // A pair is reviewed side by side: 不是重复 or a merge either way, never 佐证; the page
    // leaves whether the caller may to the server.
    await page.getByTestId(`problems-review-${item.id}`).click()
    const form = page.getByTestId('review-form')
    await form.waitFor()
    assert.equal(await page.getByTestId(`problems-decide-${item.id}`).count(), 0, 'a pair offers 佐证')
    for (const c of ['not_duplicate', 'keep_student', 'keep_other']) await page.getByTestId(`review-choice-${c}`).waitFor()
    await page.getByTestId('review-choice-not_duplicate').click()
    await page.getByTestId('review-reason').fill(kReason)
    const refused = page.waitForResponse(isDecision(item.id))
    await page.getByTestId('review-submit').click()
    const r = await refused
    assert.equal(r.status(), 403)
    const error = (await r.json()).error
    assert.equal(error.code, 'forbidden')
    assert.match(error.message, /上级教育行政部门/)
    await page.locator('.el-message--error').filter({ hasText: error.message }).waitFor()
    await shot('problems-decide-refused')
    await page.getByTestId('review-cancel').click()
    await form.waitFor({ state: 'hidden' })

    // Nothing changed: still open at the version read, the counts as they were.
    const again = (await api.call('GET', `/api/v1/problem-records?org=${school.code}&kind=${decidedKind}&state=all&limit=200`)).items
      .find((/** @type {any} */ i) => i.id === item.id)
    assert.equal(again?.state, 'open')
    assert.equal(again?.version, item.version)
    assert.equal(again?.resolution, undefined)
    assert.deepEqual((await api.call('GET', `/api/v1/problem-records/summary?org=${school.code}`)).total, summary.total)
    await page.getByTestId(`problems-review-${item.id}`).waitFor()
    assert.equal(await digits(page.getByTestId(`problems-kind-${decidedKind}`)), String(summary.total[decidedKind]))
  })
})

test('the authority over both schools decides the pair 不是重复: it leaves the open list, the count drops, 已处理 shows it', async (t) => {
  assert.ok(decided && decider)
  const who = account(decider)
  await withPage(t, { allowHttp: [422] }, async ({ page, shot }) => {
    await signIn(page, decider)
    const first = page.waitForResponse(isSummary(''))
    await openMenu(page, 'problem-records', 'problems-page')
    const summary = await (await first).json()
    assert.equal(summary.org, who.org)
    const before = summary.total[decidedKind]
    assert.ok(before >= 1)
    const totalBefore = Object.values(summary.total).reduce((n, c) => n + c, 0)
    await page.getByTestId('problems-total').waitFor()
    await settled(page)
    const listed = page.waitForResponse(isKindList(who.org, 'open'))
    await page.getByTestId(`problems-kind-${decidedKind}`).click()
    const item = (await (await listed).json()).items.find(isDecided)
    assert.ok(item, `no open ${decidedKind} finding is the pair ${JSON.stringify(decided)}`)
    await settled(page)

    await page.getByTestId(`problems-review-${item.id}`).click()
    const form = page.getByTestId('review-form')
    await form.waitFor()
    // Both students side by side, the fields that differ marked: the copy's name differs
    // in the forms that alter it.
    const table = page.getByTestId('review-table')
    const nameDiffers = ['homophone', 'typo'].includes(decided.form) ? 1 : 0
    assert.equal(await table.locator('tr.differs').filter({ hasText: '姓名' }).count(), nameDiffers)
    await page.getByTestId('review-choice-not_duplicate').click()
    // No reason: the server's field error next to the field, the finding still open.
    const invalid = page.waitForResponse(isDecision(item.id))
    await page.getByTestId('review-submit').click()
    const bad = await invalid
    assert.equal(bad.status(), 422)
    const badError = (await bad.json()).error
    assert.equal(badError.code, 'validation_failed')
    const reasonError = badError.fields.find((/** @type {any} */ f) => f.field === 'reason')
    assert.equal(reasonError?.code, 'required')
    await form.locator('.el-form-item', { has: page.getByTestId('review-reason') })
      .locator('.el-form-item__error', { hasText: reasonError.message }).waitFor()

    await page.getByTestId('review-reason').fill(kReason)
    await page.getByTestId('review-document').fill(kDocument)
    const answered = page.waitForResponse(isDecision(item.id))
    const reloaded = page.waitForResponse(isKindList(who.org, 'open'))
    const recounted = page.waitForResponse(isSummary(who.org))
    await page.getByTestId('review-submit').click()
    const r = await answered
    assert.equal(r.status(), 200)
    assert.equal(await r.request().headerValue('if-match'), `"v${item.version}"`)
    assert.deepEqual(JSON.parse(r.request().postData() ?? '{}'), { decision: 'not_duplicate', reason: kReason, document: kDocument })
    const body = await r.json()
    assert.equal(body.id, item.id)
    assert.equal(body.state, 'resolved')
    assert.equal(body.version, item.version + 1)
    assert.equal(body.resolution.kind, 'not_duplicate')
    assert.equal(body.resolution.by, who.login)
    assert.equal(body.resolution.reason, kReason)
    assert.equal(body.resolution.document, kDocument)
    await page.locator('.el-message--success').filter({ hasText: `问题记录 ${item.id} 已处理` }).waitFor()
    await form.waitFor({ state: 'hidden' })

    // The open list without it, the count of its kind and the total one less.
    const open = await (await reloaded).json()
    assert.equal(open.items.some((/** @type {any} */ i) => i.id === item.id), false, 'the decided pair is still listed open')
    const after = await (await recounted).json()
    assert.equal(after.total[decidedKind], before - 1)
    await settled(page)
    await page.getByTestId(`problems-review-${item.id}`).waitFor({ state: 'detached' })
    await page.getByTestId(`problems-kind-${decidedKind}`).filter({ hasText: new RegExp(`^${before - 1}$`) }).waitFor()
    await page.getByTestId('problems-total').filter({ hasText: new RegExp(`(^|\\D)${(totalBefore - 1).toLocaleString('zh-CN')}(\\D|$)`) }).waitFor()
    assert.equal(await digits(page.getByTestId('problems-total')), String(totalBefore - 1))
    await shot('problems-decided')

    // 已处理: the row with the decision, who took it, the reason and the document.
    const resolved = page.waitForResponse(isKindList(who.org, 'resolved'))
    await page.getByTestId('problems-state').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '已处理' }).click()
    const list = await (await resolved).json()
    const shown = list.items.find((/** @type {any} */ i) => i.id === item.id)
    assert.equal(shown?.state, 'resolved')
    assert.deepEqual(shown?.resolution, body.resolution)
    const cell = page.getByTestId(`problems-resolution-${item.id}`)
    await cell.waitFor()
    const text = await cell.innerText()
    for (const part of ['不是重复', who.login, kReason, kDocument]) assert.ok(text.includes(part), `the resolution shows "${text}", without ${part}`)
    const row = page.getByTestId('problems-table').locator('tr', { has: cell })
    assert.ok((await row.innerText()).includes('已处理'), 'the row lacks the state')
    await settled(page)
    await shot('problems-resolved')
  })
})
