// A person with two grants (registry officer of two counties) works under one of them
// (the header's switch, X-Acting-Grant): the other county's schools are out of reach
// (API 404, "不存在或无权访问") until all grants apply again.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { signIn, state, withPage } from '../lib/harness.mjs'

test('working under one of two grants: the other county is out of reach until all apply again', async (t) => {
  await withPage(t, { allowHttp: [404] }, async ({ page, shot }) => {
    const { school, sibling } = state
    const open = async () => {
      const answer = page.waitForResponse((r) => r.url().endsWith(`/api/v1/orgs/${school.code}`))
      await page.goto(`${state.base}/org/tree?code=${school.code}`)
      return answer
    }
    const actAs = async (id) => {
      await page.getByTestId('user-menu').click()
      await page.getByTestId(id).click()
      await page.waitForLoadState('load')
      await page.getByTestId('home').waitFor()
    }
    await signIn(page, 'two')
    assert.equal((await open()).status(), 200, 'both counties are in reach under all grants')

    await actAs(`act-county_registrar@${sibling.county}`)
    const refused = await open()
    assert.equal(refused.status(), 404)
    assert.equal(refused.request().headers()['x-acting-grant'], `county_registrar@${sibling.county}`)
    await page.getByTestId('org-tree-page').getByTestId('state-error').getByText('不存在或无权访问').waitFor()
    await shot('acting-grant')

    await actAs('act-all')
    const again = await open()
    assert.equal(again.status(), 200)
    assert.equal(again.request().headers()['x-acting-grant'], undefined)
  })
})
