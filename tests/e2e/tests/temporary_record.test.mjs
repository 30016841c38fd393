// (za) One person, one number for a child first registered without a document: the school
// of the class-assignment test has a J-numbered pupil (registered here through the API, with
// a guardian's ID). Its registrar registers a child of the same name, gender and birth date
// with a resident ID: the form shows that the child may already have a temporary number,
// naming it masked, and nothing is registered; checked to be another child, "继续注册"
// registers it (notTemporaryRecord).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { account, settled, signIn, state, withPage } from '../lib/harness.mjs'
import { NodeClient } from '../lib/node.mjs'

const { school } = state.classes

/** GB 11643 check character of the first 17 digits. @param {string} body17 */
function checkDigit(body17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * (weights[i] ?? 0)
  return '10X98765432'[sum % 11] ?? ''
}
const withCheck = (/** @type {string} */ body17) => body17 + checkDigit(body17)
const kName = '测试临时号'

/** Picks an option of an Element Plus select by its visible text. */
async function pick(page, testid, text) {
  await page.getByTestId(testid).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}

test('registering with an ID a child who has a J number asks first, then registers when confirmed', async (t) => {
  const who = account('classes.registrar')
  const api = new NodeClient(state.base)
  await api.login(who.login, who.password)
  const j = await api.call('POST', '/api/v1/students', {
    name: kName, gender: '1', birthDate: '2019-06-01', ethnicity: '01', schoolCode: school.code, grade: 1,
    classNo: '01', entryDate: '2025-09', guardian1Name: '测试家长', guardian1Relation: '1',
    guardian1IdNumber: withCheck('44010619900101123'),
  })
  assert.match(j.studentNumber, /^J/)

  await withPage(t, { allowHttp: [409] }, async ({ page, shot }) => {
    await signIn(page, 'classes.registrar')
    await page.goto(`${state.base}/student/new`)
    await page.getByTestId('student-form-page').waitFor()
    await settled(page)
    await page.getByTestId('student-form-name').fill(kName)
    await pick(page, 'student-form-gender', '男')
    await page.getByTestId('student-form-birthDate').fill('2019-06-01')
    await pick(page, 'student-form-ethnicity', '汉族')
    await pick(page, 'student-form-idType', '居民身份证')
    const id = withCheck('44010620190601125')
    await page.getByTestId('student-form-idNumber').fill(id)
    await pick(page, 'student-form-grade', '小学1年级')
    await page.getByTestId('student-form-classNo').fill('02')
    await page.getByTestId('student-form-entryDate').fill('2025-09')
    await page.getByTestId('student-form-guardian1Name').fill('测试家长')
    await pick(page, 'student-form-guardian1Relation', '父亲')

    const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/students') && r.request().method() === 'POST')
    await page.getByTestId('student-form-submit').click()
    const r = await refused
    assert.equal(r.status(), 409)
    const error = (await r.json()).error
    assert.equal(error.code, 'temporary_record_exists')
    const conflict = page.getByTestId('student-form-conflict')
    await conflict.filter({ hasText: '临时学籍号' }).waitFor()
    assert.ok((await conflict.innerText()).includes(school.code), 'the alert does not name the school')
    assert.ok(!(await conflict.innerText()).includes(j.studentNumber), 'the J number shows whole')
    await shot('student-form-temporary-record')

    const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/students') && r.request().method() === 'POST')
    await page.getByTestId('student-form-not-temporary').click()
    const ok = await created
    assert.equal(ok.status(), 201, await ok.text())
    assert.equal(JSON.parse(ok.request().postData() ?? '{}').notTemporaryRecord, true)
    await page.waitForURL((u) => u.pathname === `/student/G${id}`)
    await page.getByTestId('student-detail-page').waitFor()
  })
})
