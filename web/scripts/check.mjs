// Browser smoke check of the built portal under its CSP: opens the login page in
// Debian's chromium (playwright-core, headless, never downloading a browser), measures
// the JavaScript the login route loads, signs in, and fails on any console error,
// page error or CSP violation. Serve dist first (scripts/serve.mjs) with a node behind it.
//   node scripts/check.mjs --url http://127.0.0.1:4173 --login demo.county --password '...'
//     [--totp-secret BASE32] [--shots DIR]
import { chromium } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { totp } from './totp.mjs'

const args = process.argv.slice(2)
/** @param {string} name @param {string} [fallback] */
function arg(name, fallback = '') {
  const i = args.indexOf(name)
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback
}
const base = arg('--url', 'http://127.0.0.1:4173')
const login = arg('--login', process.env.NEMIS_LOGIN ?? '')
const password = arg('--password', process.env.NEMIS_PASSWORD ?? '')
let totpSecret = arg('--totp-secret') // set by an enrolment below
const newPassword = arg('--new-password')
const recoveryCode = arg('--recovery-code')
const shots = arg('--shots', join(tmpdir(), 'nemis-portal-shots'))
mkdirSync(shots, { recursive: true })

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],  // launch() gives each run a fresh temporary profile
})
const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
const page = await context.newPage()
/** @type {string[]} */
const problems = []
/** Statuses the current step expects from the API (Chromium logs every 4xx fetch). */
let expected = /** @type {number[]} */ ([])
page.on('console', (m) => {
  if (m.type() !== 'error' && m.type() !== 'warning') return
  const status = /Failed to load resource: the server responded with a status of (\d+)/.exec(m.text())
  if (status && expected.includes(Number(status[1]))) return
  problems.push(`console.${m.type()}: ${m.text()}`)
})
page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`))

/** Clicks a side-menu item, opening its system's sub-menu first. @param {string} id */
async function openMenu(id) {
  const system = await page.getByTestId(id).evaluate((el) => el.closest('.el-sub-menu')?.getAttribute('data-testid'))
  if (system) {
    const sub = page.getByTestId(system)
    if (!(await sub.evaluate((el) => el.classList.contains('is-opened')))) await sub.locator('.el-sub-menu__title').click()
  }
  await page.getByTestId(id).click()
}

// 1. The login route: every script it loads, and their gzip size.
/** @type {import('playwright-core').Response[]} */
const scripts = []
const onResponse = (/** @type {import('playwright-core').Response} */ r) => {
  if (r.request().resourceType() === 'script') scripts.push(r)
}
page.on('response', onResponse)
await page.goto(base + '/login', { waitUntil: 'networkidle' })
await page.getByTestId('login-username').waitFor()
page.off('response', onResponse)
let raw = 0
let gz = 0
for (const r of scripts) {
  const body = await r.body()
  raw += body.length
  gz += gzipSync(body, { level: 9 }).length
}
console.log(`login route: ${scripts.length} scripts, ${(raw / 1024).toFixed(1)} KiB raw, ${(gz / 1024).toFixed(1)} KiB gzip`)
await page.screenshot({ path: join(shots, 'login.png') })

// 2. A wrong password shows the translated error.
await page.getByTestId('login-username').fill('nobody.check') // not a real account: no lockout count
await page.getByTestId('login-password').fill('wrong-Password-1')
expected = [401]
await page.getByTestId('login-submit').click()
await page.getByTestId('login-error').waitFor()
expected = []
console.log('wrong password:', (await page.getByTestId('login-error').innerText()).replace(/\s+/g, ' '))
await page.screenshot({ path: join(shots, 'login-error.png') })

// 2b. Unexpected failures show the request id (answers faked in the browser).
for (const [status, code] of [[500, 'internal'], [409, 'some_future_code']]) {
  await page.route('**/api/v1/auth/login', (route) =>
    route.fulfill({
      status: Number(status),
      contentType: 'application/json',
      body: JSON.stringify({ error: { code, message: '服务端说明', fields: [], requestId: 'check-req-42' } }),
    }),
  )
  expected = [Number(status)]
  await page.getByTestId('login-submit').click()
  await page.getByTestId('login-error').getByText('check-req-42').waitFor()
  console.log(`${status} ${code}:`, (await page.getByTestId('login-error').innerText()).replace(/\s+/g, ' '))
  await page.unroute('**/api/v1/auth/login')
  expected = []
}

// 3. Sign in (with a TOTP code when the account has one) and look around.
if (login && password) {
  await page.getByTestId('login-username').fill(login)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
  if (totpSecret || recoveryCode) {
    expected = [401] // mfa_required: the password step of an account with an authenticator
    await page.getByTestId('login-totp').waitFor()
    expected = []
    await page.screenshot({ path: join(shots, 'login-totp.png') })
    if (recoveryCode) {
      await page.getByTestId('login-toggle-recovery').click()
      await page.getByTestId('login-recovery').fill(recoveryCode)
    } else await page.getByTestId('login-totp').fill(totp(totpSecret))
    await page.getByTestId('login-submit').click()
  }
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  await page.waitForLoadState('networkidle')
  console.log('signed in at', new URL(page.url()).pathname)
  if (new URL(page.url()).pathname === '/account/password') {
    // First sign-in: the forced password change ends every session; sign in again.
    if (!newPassword) throw new Error('the account must change its password: pass --new-password')
    await page.screenshot({ path: join(shots, 'change-password.png') })
    await page.getByTestId('change-password-current').fill(password)
    await page.getByTestId('change-password-new').fill(newPassword)
    await page.getByTestId('change-password-confirm').fill(newPassword)
    await page.getByTestId('change-password-submit').click()
    await page.waitForURL((u) => u.pathname.startsWith('/login'))
    await page.getByTestId('login-reason').waitFor()
    await page.getByTestId('login-username').fill(login)
    await page.getByTestId('login-password').fill(newPassword)
    await page.getByTestId('login-submit').click()
    await page.waitForURL((u) => !u.pathname.startsWith('/login'))
    await page.waitForLoadState('networkidle')
    console.log('password changed; signed in again at', new URL(page.url()).pathname)
  }
  if (new URL(page.url()).pathname === '/account/mfa') {
    // An administrator without an authenticator: bind one, computing the code here.
    await page.getByTestId('mfa-secret').waitFor()
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(shots, 'mfa-enrol.png') })
    const secret = (await page.getByTestId('mfa-secret').innerText()).trim()
    await page.getByTestId('mfa-code').fill(totp(secret))
    await page.getByTestId('mfa-confirm').click()
    await page.getByTestId('mfa-recovery-codes').waitFor()
    const codes = (await page.getByTestId('mfa-recovery-codes').innerText()).split(/\s+/).filter(Boolean)
    await page.screenshot({ path: join(shots, 'mfa-recovery-codes.png') })
    console.log(`enrolled: secret ${secret}, ${codes.length} recovery codes, first ${codes[0]}`)
    totpSecret = secret
    await page.getByTestId('mfa-done').click()
    await page.waitForURL((u) => u.pathname === '/')
    await page.waitForLoadState('networkidle')
  }
  if (new URL(page.url()).pathname === '/') {
    await page.getByTestId('home').waitFor()
    await page.getByTestId('user-menu').waitFor()
    console.log('header:', (await page.getByTestId('user-menu').innerText()).replace(/\s+/g, ' '))
    const menu = await page.locator('[data-testid^="menu-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))
    console.log('menu:', menu.join(' '))
    await page.waitForTimeout(400) // tag transitions
    await page.screenshot({ path: join(shots, 'home.png'), fullPage: true })
    // Element Plus poppers and the locale switch under the CSP: English, then back.
    /** @param {string} label */
    const pickLanguage = async (label) => {
      await page.getByTestId('language').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: label }).click()
    }
    await pickLanguage('English')
    await page.getByTestId('breadcrumb').getByText('Home').waitFor()
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(shots, 'home-en.png'), fullPage: true })
    await pickLanguage('简体中文')
    await page.getByTestId('breadcrumb').getByText('首页').waitFor()
    console.log('language switch: en and back')
    const pages = menu.filter((m) => m && m !== 'menu-home' && !m.startsWith('menu-system-'))
    for (const id of pages) {
      await openMenu(id ?? '')
      await page.waitForLoadState('networkidle')
      await page.waitForTimeout(300)
      await page.screenshot({ path: join(shots, `${id}.png`), fullPage: true })
      console.log('opened', id, new URL(page.url()).pathname)
      const student = page.locator('[data-testid^="student-open-"]').first()
      if (id === 'menu-student-list' && (await student.count())) {
        await student.click()
        await page.getByTestId('student-detail').waitFor()
        await page.waitForTimeout(400)
        await page.screenshot({ path: join(shots, 'student-detail.png') })
        await page.keyboard.press('Escape')
        console.log('student detail shown')
      }
    }
    await page.getByTestId('user-menu').click()
    await page.getByTestId('logout').click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await page.waitForURL((u) => u.pathname.startsWith('/login'))
    console.log('logged out')

    // A session the server ended (here: signed out behind the portal's back) sends the
    // next request to the login page with the reason.
    await page.getByTestId('login-username').fill(login)
    await page.getByTestId('login-password').fill(newPassword || password)
    if (totpSecret) expected = [401]
    await page.getByTestId('login-submit').click()
    if (totpSecret) {  // a recovery code works once: the second sign-in needs the authenticator
      await page.getByTestId('login-totp').waitFor()
      await new Promise((r) => setTimeout(r, 31000 - (Date.now() % 30000))) // a TOTP code works once
      await page.getByTestId('login-totp').fill(totp(totpSecret))
      await page.getByTestId('login-submit').click()
    }
    await page.getByTestId('home').waitFor()
    const me = await (await context.request.get(base + '/api/v1/auth/me')).json()
    const cookies = await context.cookies()
    const ended = await context.request.post(base + '/api/v1/auth/logout', { headers: { 'X-CSRF-Token': me.csrfToken } })
    if (ended.status() !== 204) throw new Error(`logout behind the portal: ${ended.status()}`)
    await context.addCookies(cookies) // the browser still holds the cookie of the ended session
    expected = [401]
    if (pages[0]) await openMenu(pages[0])
    await page.waitForTimeout(1000)
    // A page that calls only public endpoints (ops) notices nothing: Home asks /auth/me.
    if (!new URL(page.url()).pathname.startsWith('/login')) await page.getByTestId('menu-home').click()
    await page.getByTestId('login-reason').waitFor()
    console.log('ended session:', await page.getByTestId('login-reason').innerText(), new URL(page.url()).search)
    expected = []
  }
}

await browser.close()
if (problems.length) {
  console.error(`${problems.length} console problem(s):\n` + problems.join('\n'))
  process.exit(1)
}
console.log('console clean; screenshots in', shots)
