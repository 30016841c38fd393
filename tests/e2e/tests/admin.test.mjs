// 三员分立 seen from the security administrator: the menu offers the accounts and nothing
// of the audit log, the registry or the node; the account list shows the accounts of
// its scope, with the authenticator state the suite's set-up gave them.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { account, openMenu, settled, signIn, withPage } from '../lib/harness.mjs'

test('the security administrator sees the accounts and only them', async (t) => {
  await withPage(t, { allowHttp: [401] }, async ({ page, shot }) => {
    await signIn(page, 'security')
    for (const other of ['student-list', 'org-tree', 'audit-log', 'ops-status', 'stats-students']) {
      assert.equal(await page.getByTestId(`menu-${other}`).count(), 0, `menu-${other} shown to the security administrator`)
    }
    await openMenu(page, 'account-list', 'account-page')
    const registrar = account('registrar').login
    await page.getByTestId('account-search').fill('e2e.')
    await page.getByTestId('account-search-submit').click()
    const table = page.getByTestId('account-table')
    await table.locator('.el-table__row', { hasText: registrar }).waitFor()
    assert.match(await table.innerText(), /e2e\.first/)
    await settled(page)
    await shot('account-list')
  })
})
