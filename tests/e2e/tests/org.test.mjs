// (b) A county officer browses the institution tree within its scope; a school of
// another county, opened by URL, is "不存在或无权访问" (the API answered 404).
// (c) 学校划转: the province's registry officer (org.update over 440000) registers a school of
// its own through the API in 香洲区 (440402; gen puts no school in 珠海 and no other test looks
// there), opens its page, 划转 → the dialog offers 广东's counties but 香洲区, with the note;
// 金湾区 (440404) → POST …/move answers 200 with the new parentCode, the page says 已划转至 金湾区
// and shows 440404; through the API (the page's session) a second move there → 422 same_parent.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { openMenu, settled, signIn, state, withPage } from '../lib/harness.mjs'

test('a county officer browses its county and its schools in the tree', async (t) => {
  await withPage(t, {}, async ({ page, shot }) => {
    const { school } = state
    await signIn(page, 'county')
    await openMenu(page, 'org-tree', 'org-tree-page')
    // The only root is the officer's county.
    const county = page.getByTestId(`org-node-${school.county}`)
    await county.waitFor()
    assert.equal(await page.locator('[data-testid="org-tree"] > .el-tree-node').count(), 1)
    await page.getByTestId('org-detail').getByText(school.county).waitFor()
    // Children load when the county opens.
    const children = page.waitForResponse((r) => r.url().includes(`/api/v1/orgs/${school.county}/children`))
    await page.locator('.el-tree-node__content', { has: county }).locator('.el-tree-node__expand-icon').click()
    assert.equal((await children).status(), 200)
    await page.getByTestId(`org-node-${school.code}`).click()
    await page.waitForURL((u) => u.searchParams.get('code') === school.code)
    await page.getByTestId('org-detail').getByText(school.code).waitFor()
    assert.match(await page.getByTestId('org-detail').innerText(), /学校/)
    await settled(page)
    await shot('org-tree')
    // Search finds the officer's school by name.
    await page.getByTestId('org-search').fill(school.name)
    await page.getByTestId('org-search-submit').click()
    await page.getByTestId('org-results').getByText(school.name).waitFor()
  })
})

test("a school of a sibling county, opened by URL, shows 不存在或无权访问 (API 404)", async (t) => {
  await withPage(t, { allowHttp: [404] }, async ({ page, shot }) => {
    const { sibling } = state
    await signIn(page, 'county')
    const answer = page.waitForResponse((r) => r.url().endsWith(`/api/v1/orgs/${sibling.code}`))
    await page.goto(`${state.base}/org/tree?code=${sibling.code}`)
    const r = await answer
    assert.equal(r.status(), 404)
    assert.equal((await r.json()).error.code, 'not_found')
    const error = page.getByTestId('org-tree-page').getByTestId('state-error')
    await error.getByText('不存在或无权访问').waitFor()
    assert.equal(await page.getByTestId('org-detail').count(), 0)
    assert.doesNotMatch(await page.getByTestId('org-tree-page').innerText(), new RegExp(sibling.name))
    await shot('org-out-of-scope')
  })
})

const kMove = { code: '2144009921', name: 'E2E测试划转小学', from: '440402', to: '440404', toName: '金湾区', fromName: '香洲区' }

test('the province officer moves a school to another county of 广东 (学校划转)', async (t) => {
  await withPage(t, {}, async ({ page, shot }) => {
    await signIn(page, 'province')
    const me = await (await page.request.get(new URL('/api/v1/auth/me', page.url()).href)).json()
    const api = (/** @type {string} */ path, /** @type {object} */ body, /** @type {Record<string,string>} */ headers = {}) =>
      page.request.post(new URL(path, page.url()).href, { data: body, headers: { 'X-CSRF-Token': me.csrfToken, ...headers } })
    const made = await api('/api/v1/orgs', { code: kMove.code, parentCode: kMove.from, name: kMove.name, schoolType: '211' })
    assert.equal(made.status(), 201, `create: ${made.status()} ${await made.text()}`)
    const created = await made.json()

    await page.goto(`${state.base}/org/${kMove.code}`)
    await page.getByTestId('org-page-title').getByText(kMove.name).waitFor()
    assert.equal((await page.getByTestId('org-page-parent').innerText()).trim(), kMove.from)
    await page.getByTestId('org-move').click()
    const dialog = page.getByTestId('org-move-dialog')
    await dialog.waitFor()
    await dialog.getByText('学校连同在校学生划入所选区县，国家节点随数据交换得知').waitFor()
    await page.getByTestId('org-move-parent').click()
    const options = page.locator('.el-select-dropdown__item:visible')
    await options.filter({ hasText: kMove.toName }).first().waitFor()
    assert.equal(await options.filter({ hasText: kMove.fromName }).count(), 0, 'the current county is offered')
    assert.ok(await options.filter({ hasText: '天河区' }).count() > 0, 'another city\'s county is not offered')
    await options.filter({ hasText: kMove.toName }).first().click()
    await settled(page)
    await shot('org-move-dialog')

    const answer = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/api/v1/orgs/${kMove.code}/move`)
    await page.getByTestId('org-move-confirm').click()
    const r = await answer
    assert.equal(r.status(), 200, `move: ${r.status()} ${await r.text()}`)
    assert.deepEqual(r.request().postDataJSON(), { parentCode: kMove.to })
    assert.equal(r.request().headers()['if-match'], `"v${created.version}"`)
    const moved = await r.json()
    assert.equal(moved.parentCode, kMove.to)
    assert.equal(moved.countyCode, kMove.to)
    assert.equal(moved.version, created.version + 1)
    await page.locator('.el-message').filter({ hasText: `已划转至 ${kMove.toName}` }).waitFor()
    await dialog.waitFor({ state: 'hidden' })
    await page.getByTestId('org-page-parent').getByText(kMove.to).waitFor()
    assert.match(await page.getByTestId('org-attr-region').innerText(), new RegExp(`/ ${kMove.to}$`))
    await shot('org-moved')

    // A second move to the same county: 422 same_parent on parentCode.
    const again = await api(`/api/v1/orgs/${kMove.code}/move`, { parentCode: kMove.to }, { 'If-Match': r.headers().etag ?? `"v${moved.version}"` })
    assert.equal(again.status(), 422, `move again: ${again.status()} ${await again.text()}`)
    const error = (await again.json()).error
    assert.equal(error.code, 'validation_failed')
    assert.ok(error.fields.some((f) => f.field === 'parentCode' && f.code === 'same_parent'), JSON.stringify(error.fields))
  })
})
