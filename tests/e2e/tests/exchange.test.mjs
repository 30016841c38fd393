// 数据交换状态 (ops/exchange) as a node's system administrator. The suite's node has no
// system administrator and pulls from no province, so each test starts a node of its own
// (lib/nodes.mjs: inside the suite's throwaway directory, serving the same portal): its
// store migrated, a system_admin with a known password and an authenticator bound through
// the API, then `nemis serve --port 0 --set …`.
// (a) A provincial node (the defaults): the page says it pulls from no provincial node.
// (b) A national node (`nemis node init --role national`, node.code 000000) whose
//     exchange.sources names 440000 at a port nothing listens on: the row of 440000 is
//     异常 with the failures and the node's error, the province named from the public region
//     list; the page asks again every 5 s by itself (the page's clock), and not once left.
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { openMenu, settled, state, steps, submitPassword, withPage } from '../lib/harness.mjs'
import { NodeClient, totpAt } from '../lib/node.mjs'
import { nemisRunner, startServe, stopAll, writeNodeConfig } from '../lib/nodes.mjs'

const kEmpty = '本节点未从任何省级节点拉取数据（国家节点在 exchange.sources 中配置省级节点）' // exchange.empty
const kUnreachable = '无法与 127.0.0.1:9 通信'
const kRefreshMs = 5000 // ExchangeView.vue
const isSourcesUrl = (/** @type {URL} */ u) => u.pathname === '/api/v1/exchange/sources'
const isSources = (/** @type {import('playwright-core').Response} */ r) => isSourcesUrl(new URL(r.url()))

after(stopAll)

/**
 * A node of the test's own: `settings(dir)` (key=value) for every command, an account
 * `login` (system_admin at `org`) with an authenticator, `nemis serve` on a free port.
 * `national` makes the node's identity first (nemis node init --role national).
 */
async function startNode(name, { login, org, settings = () => [], national = false }) {
  const dir = mkdtempSync(join(state.work, `exchange-${name}-`))
  const config = writeNodeConfig(dir)
  const list = settings(dir)
  const run = nemisRunner(config, list)
  run(['migrate'])
  if (national) run(['node', 'init', '--role', 'national'])
  const password = `Nemis-E2e#${name}-2026x`
  run(['user', 'add', login, '--role', 'system_admin', '--org', org, '--name', '测试系统管理员', '--password-stdin'], password + '\n')

  const { base } = await startServe(name, config, list)
  // An administrator binds an authenticator before anything else (as run.mjs does).
  const c = new NodeClient(base)
  await c.login(login, password)
  const enrol = await c.call('POST', '/api/v1/auth/mfa/totp', {})
  await c.call('POST', '/api/v1/auth/mfa/totp/confirm', { code: totpAt(enrol.secret, await steps.next(login)) })
  return { base, login, password, secret: enrol.secret, client: c }
}

/** Resolves once the page has no request on its way (the refresh button stops spinning). */
async function idle(/** @type {import('playwright-core').Page} */ page) {
  await page.waitForFunction(() => !document.querySelector('[data-testid="exchange-refresh"].is-loading'))
}

/** Signs in at `node` through its login page (password, then the TOTP code) and waits for home. */
async function signInAt(page, node) {
  await page.goto(node.base + '/login')
  await submitPassword(page, node.login, node.password)
  await page.getByTestId('login-totp').fill(await steps.code(node.login, node.secret))
  await page.getByTestId('login-submit').click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  await page.getByTestId('home').waitFor()
}

test('数据交换状态 of a node that pulls from no province: the empty state', async (t) => {
  const node = await startNode('none', { login: 'e2e.exchange.none', org: '440000' })
  // The API's own answer for the page's account.
  assert.deepEqual(await node.client.call('GET', '/api/v1/exchange/sources'), { items: [] })
  await withPage(t, { allowHttp: [401] }, async ({ page, shot }) => {
    await signInAt(page, node)
    const answered = page.waitForResponse(isSources)
    await openMenu(page, 'ops-exchange', 'exchange-page')
    assert.equal((await answered).status(), 200)
    const empty = page.getByTestId('state-empty')
    await empty.waitFor()
    assert.equal((await empty.innerText()).trim(), kEmpty)
    assert.equal(await page.getByTestId('exchange-table').count(), 0, 'no table without sources')
    assert.equal(await page.getByTestId('state-error').count(), 0)
    // The title in the tab and the breadcrumb, the refresh button.
    assert.match(await page.getByTestId('breadcrumb').innerText(), /数据交换/)
    await page.getByTestId('exchange-refresh').waitFor()
    await settled(page)
    await shot('exchange-empty')
  })
})

test('数据交换状态 of a national node whose province cannot be reached: 异常, the failures and the error', async (t) => {
  const node = await startNode('national', {
    login: 'e2e.exchange.national',
    org: '000000',
    national: true,
    settings: (dir) => [`node.key_dir=${join(dir, 'node')}`, 'node.code=000000', 'node.role=national',
      'exchange.sources=440000=http://127.0.0.1:9'],
  })
  await withPage(t, { allowHttp: [401] }, async ({ page, shot }) => {
    await page.clock.install() // the real time until paused
    /** @type {URL[]} */
    const asked = []
    page.on('request', (r) => {
      const u = new URL(r.url())
      if (isSourcesUrl(u)) asked.push(u)
    })
    await signInAt(page, node)
    const first = page.waitForResponse(isSources)
    await openMenu(page, 'ops-exchange', 'exchange-page')
    assert.equal((await first).status(), 200)

    // The puller has failed at least once by the time the page asks (it starts with the
    // node); if not yet, the page's next refresh shows it.
    const error = page.getByTestId('exchange-error-440000')
    await error.waitFor({ timeout: 3 * kRefreshMs })
    const shown = (await error.innerText()).trim()
    assert.ok(shown.includes(kUnreachable), `the node's error is shown: ${shown}`)
    assert.equal(await error.evaluate((el) => getComputedStyle(el).color), 'rgb(198, 40, 40)', 'the error is red (--el-color-danger)')
    assert.equal((await page.getByTestId('exchange-state-440000').innerText()).trim(), '异常')
    const failures = Number((await page.getByTestId('exchange-failures-440000').innerText()).replace(/[^\d]/g, ''))
    assert.ok(failures >= 1, `failures ≥ 1 (${failures})`)
    assert.equal((await page.getByTestId('exchange-backlog-440000').innerText()).trim(), '0')
    // A source never reached is not caught up: its lag runs from the puller's start.
    assert.match((await page.getByTestId('exchange-lag-440000').innerText()).trim(), /^\d+ (秒|分)/)
    assert.equal((await page.getByTestId('exchange-conflicts-440000').innerText()).trim(), '0')
    // No cross-province transfer awaiting the province or in transit to it.
    assert.equal((await page.getByTestId('exchange-transfers-440000').innerText()).trim(), '0 / 0')
    assert.equal(await page.getByTestId('exchange-transit-since-440000').count(), 0)
    assert.equal((await page.getByTestId('exchange-contact-440000').innerText()).trim(), '从未')
    // The province by name (the national node's public region list) and code.
    const source = await page.getByTestId('exchange-source-440000').innerText()
    assert.match(source, /440000/)
    assert.match(source, /广东省/)
    const rows = page.getByTestId('exchange-table').locator('.el-table__body-wrapper .el-table__row')
    assert.equal(await rows.count(), 1, 'one provincial node')
    assert.match(await page.getByTestId('exchange-summary').innerText(), /共 1 个省级节点.*异常 1 个/)

    // What the API says to the same session: the same source, as many failures or more.
    const res = await page.request.get(new URL('/api/v1/exchange/sources', page.url()).href)
    assert.equal(res.status(), 200)
    const api = await res.json()
    assert.equal(api.items.length, 1)
    assert.equal(api.items[0].source, '440000')
    assert.ok(api.items[0].failures >= failures, `the API's failures (${api.items[0].failures}) ≥ the page's (${failures})`)
    assert.ok(api.items[0].lastError.includes(kUnreachable), api.items[0].lastError)
    assert.equal(api.items[0].lastContactAt, '')
    assert.deepEqual([api.items[0].transfersAwaiting, api.items[0].transfersInTransit, api.items[0].inTransitSince], [0, 0, ''])
    assert.ok(api.items[0].lagSeconds > 0, `an unreachable source lags (${api.items[0].lagSeconds})`)
    await settled(page)
    await shot('exchange-failing')

    // Asked again every 5 s after each answer, by itself (the page's clock, paused).
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000)
    await idle(page) // a request on its way when the clock stopped has been answered
    const n = asked.length
    const next = page.waitForResponse(isSources)
    await page.clock.runFor(kRefreshMs) // the timer was set at the latest when the clock stopped
    assert.equal((await next).status(), 200)
    await idle(page)
    assert.equal(asked.length, n + 1, 'the page asked again by itself')
    await page.clock.runFor(kRefreshMs - 1)
    assert.equal(asked.length, n + 1, 'not before 5 s after the last answer')
    const again = page.waitForResponse(isSources)
    await page.clock.runFor(1)
    assert.equal((await again).status(), 200)
    await idle(page)
    assert.equal(asked.length, n + 2, 'again 5 s after the last answer')
    const later = Number((await page.getByTestId('exchange-failures-440000').innerText()).replace(/[^\d]/g, ''))
    assert.ok(later >= failures, `failures only grow (${failures} → ${later})`)

    // Left: the page's timer goes with it.
    await page.clock.resume()
    await openMenu(page, 'home', 'home')
    const left = asked.length
    await page.clock.runFor(60_000)
    await settled(page)
    assert.equal(asked.length, left, 'no request from the page that was left')
  })
})
