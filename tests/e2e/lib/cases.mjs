// Approval cases in the portal, as every approver meets them: the inbox, a case opened from
// it, approved (with the optional comment dialog), the history shown.
import assert from 'node:assert/strict'
import { account, openMenu, settled, signIn } from './harness.mjs'

/** Waits for the case page and returns the case the portal read (GET /api/v1/cases/{id}). */
export async function caseRead(page, id) {
  return page.waitForResponse((r) => r.url().endsWith(`/api/v1/cases/${id}`) && r.request().method() === 'GET')
}

/** Clicks 审批通过, confirms the (optional) reason dialog if the portal opens one, and
 * returns the case JSON of the approve answer. */
export async function approve(page, id) {
  const acted = page.waitForResponse((r) => r.url().endsWith(`/api/v1/cases/${id}/approve`) && r.request().method() === 'POST')
  await page.getByTestId('case-approve').click()
  const confirm = page.getByTestId('case-reason-confirm')
  const first = await Promise.race([acted.then(() => 'posted'), confirm.waitFor({ state: 'visible' }).then(() => 'dialog')])
  if (first === 'dialog') await confirm.click()
  const r = await acted
  assert.equal(r.status(), 200, `approve of case ${id}: ${r.status()}`)
  assert.match(r.request().headers()['if-match'] ?? '', /^"v\d+"$/, 'the approve carries If-Match')
  return r.json()
}

/** Waits until the history on the page has `n` items (an Element Plus timeline, a list,
 * a table's rows; else the section's own children), then returns how many it shows. */
export async function historyItems(page, n) {
  const count = (/** @type {number} */ want) => {
    const el = document.querySelector('[data-testid="case-history"]')
    const items = el ? el.querySelectorAll('.el-timeline-item, li, .el-table__row').length || el.children.length : 0
    return want < 0 ? items : items >= want
  }
  await page.waitForFunction(count, n).catch(() => {}) // the count is asserted by the caller
  return page.evaluate(count, -1)
}

/** Signs in, opens the inbox through the menu and returns the inbox JSON it read. */
export async function openInbox(page, key) {
  await signIn(page, key)
  const read = page.waitForResponse((r) => r.url().includes('/api/v1/cases?') && r.url().includes('waiting=me'))
  await openMenu(page, 'case-inbox', 'case-inbox-page')
  const r = await read
  assert.equal(r.status(), 200)
  await settled(page)
  return r.json()
}

/** An approver's part: the case in the inbox, opened from there, approved. */
export async function approveFromInbox(page, key, id, { shot, inboxShot = '', detailShot = '' } = {}) {
  const inbox = await openInbox(page, key)
  assert.ok(inbox.items.some((c) => c.id === id), `case ${id} not in the inbox of ${account(key).login}`)
  const waiting = Number((await page.getByTestId('case-inbox-waiting').innerText()).trim())
  assert.ok(waiting >= 1, `waiting count shown: ${waiting}`)
  assert.equal(waiting, inbox.counts.waiting)
  await page.getByTestId('case-inbox-overdue').waitFor()
  await page.getByTestId('case-inbox-table').waitFor()
  if (inboxShot) await shot(inboxShot)

  const read = caseRead(page, id)
  await page.getByTestId(`case-open-${id}`).click()
  await page.waitForURL((u) => u.pathname === `/case/${id}`)
  await page.getByTestId('case-detail-page').waitFor()
  const kase = await (await read).json()
  await settled(page)
  assert.ok(kase.allowedActions.includes('approve'), `${account(key).login} may not approve: ${kase.allowedActions}`)
  assert.equal((await page.getByTestId('case-status').innerText()).trim(), '审批中')
  await page.getByTestId('case-approve').waitFor()
  assert.equal(await page.getByTestId('case-cancel').count(), 0, 'cancel shown to an approver')
  if (detailShot) await shot(detailShot)

  const after = await approve(page, id)
  // The page shows the new state: this person may not act again.
  await page.getByTestId('case-approve').waitFor({ state: 'hidden' })
  await page.getByTestId('case-history').waitFor()
  assert.equal(await historyItems(page, after.history.length), after.history.length, 'case-history: one item per action')
  return after
}
