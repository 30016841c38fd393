// The tests' side of the runner: the throwaway node's state (run.mjs writes it), the one
// shared chromium (connected over its websocket), a fresh context per test whose page
// records console errors and warnings, page errors and CSP violations (asserted empty
// when the test ends), screenshots, and signing in through the portal's login page.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after } from 'node:test'
import { chromium } from 'playwright-core'
import { TotpSteps } from './node.mjs'

const stateFile = process.env.NEMIS_E2E_STATE
if (!stateFile) throw new Error('run the tests through run.mjs (NEMIS_E2E_STATE is not set)')
/** @type {any} */
export const state = JSON.parse(readFileSync(stateFile, 'utf8'))
export const steps = new TotpSteps(state.stepsFile)

/** @type {Promise<import('playwright-core').Browser> | null} */
let browserPromise = null
function browser() {
  browserPromise ??= chromium.connect(process.env.NEMIS_E2E_BROWSER ?? '')
  return browserPromise
}
// Disconnects (the runner owns the browser); the test process could not end otherwise.
after(async () => {
  if (browserPromise) await (await browserPromise).close()
})

const kLoadFailure = /Failed to load resource: the server responded with a status of (\d+)/

/**
 * Runs `fn` with a page in a new browser context, then asserts that the page logged no
 * console error or warning, threw nothing and violated no CSP directive. Statuses in
 * `allowHttp` are answers the test provokes on purpose (chromium logs every 4xx fetch as
 * a console error). A failing test leaves a screenshot `FAILED-<name>.png`.
 * @param {{name: string}} t
 * @param {{viewport?: {width:number,height:number}, allowHttp?: number[], isMobile?: boolean}} opts
 * @param {(p: {page: import('playwright-core').Page, context: import('playwright-core').BrowserContext,
 *   shot: (name: string) => Promise<void>, allow: (...statuses: number[]) => void}) => Promise<void>} fn
 */
export async function withPage(t, opts, fn) {
  const b = await browser()
  const context = await b.newContext({
    viewport: opts.viewport ?? { width: 1366, height: 768 },
    isMobile: opts.isMobile ?? false,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  })
  context.setDefaultTimeout(15000)
  /** @type {string[]} */
  const problems = []
  const allowed = new Set(opts.allowHttp ?? [])
  await context.exposeBinding('__e2eCspViolation', (_source, text) => problems.push(`CSP violation: ${text}`))
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      // @ts-ignore the binding exposed above
      window.__e2eCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`)
    })
  })
  const page = await context.newPage()
  page.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'warning') return
    const status = kLoadFailure.exec(m.text())
    if (status && allowed.has(Number(status[1]))) return
    problems.push(`console.${m.type()}: ${m.text().slice(0, 240)} (${m.location().url})`)
  })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText ?? ''
    if (!why.includes('ERR_ABORTED')) problems.push(`request failed: ${r.method()} ${r.url()} ${why}`)
  })
  const shot = async (/** @type {string} */ name) => {
    await page.screenshot({ path: join(state.out, `${name}.png`), fullPage: true, animations: 'disabled' })
  }
  try {
    await fn({ page, context, shot, allow: (...s) => s.forEach((x) => allowed.add(x)) })
    assert.deepEqual(collapse(problems), [], `browser console of "${t.name}" is not clean`)
  } catch (e) {
    const safe = t.name.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 60)
    await page.screenshot({ path: join(state.out, `FAILED-${safe}.png`), fullPage: true }).catch(() => {})
    if (problems.length && !(e instanceof assert.AssertionError)) e.message += `\nbrowser console:\n${collapse(problems).join('\n')}`
    throw e
  } finally {
    await context.close()
  }
}

/** The same message repeated becomes one line with its count. @param {string[]} list */
function collapse(list) {
  const counts = new Map()
  for (const m of list) counts.set(m, (counts.get(m) ?? 0) + 1)
  return [...counts].map(([m, n]) => (n > 1 ? `${n}× ${m}` : m))
}

/** An account of the throwaway node (run.mjs): registrar, county, audit, security, totp, lockout, first, a11y. */
export function account(/** @type {string} */ key) {
  const a = state.accounts[key]
  if (!a) throw new Error(`no account ${key} in the e2e state`)
  return a
}

/** Fills the login form and submits it. */
export async function submitPassword(/** @type {import('playwright-core').Page} */ page, login, password) {
  await page.getByTestId('login-username').fill(login)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
}

/**
 * Signs in through the login page (with a fresh TOTP code when the account has an
 * authenticator) and waits for the home page. The password step of an account with an
 * authenticator answers 401 mfa_required: callers pass allow 401 in withPage.
 */
export async function signIn(/** @type {import('playwright-core').Page} */ page, key, { redirect = '' } = {}) {
  const a = account(key)
  await page.goto(state.base + '/login' + (redirect ? `?redirect=${encodeURIComponent(redirect)}` : ''))
  await submitPassword(page, a.login, a.password)
  if (a.totpSecret) {
    await page.getByTestId('login-totp').fill(await steps.code(a.login, a.totpSecret))
    await page.getByTestId('login-submit').click()
  }
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  if (!redirect) await page.getByTestId('home').waitFor()
}

/** Opens a side-menu page (opening its system group first) and waits for its root. */
export async function openMenu(/** @type {import('playwright-core').Page} */ page, route, root) {
  const item = page.getByTestId(`menu-${route}`)
  if (!(await item.isVisible())) {
    const group = await item.evaluate((el) => el.closest('.el-sub-menu')?.getAttribute('data-testid'))
    if (group) await page.getByTestId(group).locator('.el-sub-menu__title').click()
  }
  await item.click()
  await page.getByTestId(root).waitFor()
}

/** Resolves once no element matching `selector` shows a loading state. */
export async function settled(/** @type {import('playwright-core').Page} */ page) {
  await page.waitForFunction(() => !document.querySelector('[data-testid="state-loading"], .el-loading-mask'))
}

/**
 * Ends the page's animations where they would end, so that colours are judged as they end
 * (axe). One that runs forever (a loading spinner) cannot be finished — finish() throws on
 * it — and is left running.
 */
export async function finishAnimations(/** @type {import('playwright-core').Page} */ page) {
  await page.evaluate(() => document.getAnimations()
    .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)
    .forEach((a) => a.finish()))
}
