// (b) A county officer browses the institution tree within its scope; a school of
// another county, opened by URL, is "不存在或无权访问" (the API answered 404).
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
