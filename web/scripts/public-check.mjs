// Browser check of the public portal (/public) against a running `nemis serve` with a
// store: Debian's chromium (playwright-core, headless, never downloading a browser), at
// phone (375x667) and desktop (1366x768) size. Fails on any console error (except the
// statuses a step expects), on a request to a non-public API, and on horizontal scroll.
//   node scripts/public-check.mjs --url http://127.0.0.1:18095 [--shots DIR]
import { chromium } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const args = process.argv.slice(2)
/** @param {string} name @param {string} [fallback] */
function arg(name, fallback = '') {
  const i = args.indexOf(name)
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback
}
const base = arg('--url', 'http://127.0.0.1:18095')
const shots = arg('--shots', join(tmpdir(), 'nemis-public-shots'))
mkdirSync(shots, { recursive: true })

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
})
/** @type {string[]} */
const problems = []
let expected = /** @type {number[]} */ ([])

/** @param {{width: number, height: number}} viewport */
async function open(viewport) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', isMobile: viewport.width < 600, hasTouch: viewport.width < 600 })
  const page = await context.newPage()
  page.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'warning') return
    const status = /Failed to load resource: the server responded with a status of (\d+)/.exec(m.text())
    if (status && expected.includes(Number(status[1]))) return
    problems.push(`console.${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname
    if (path.startsWith('/api/') && !path.startsWith('/api/v1/public/') && page.url().includes('/public'))
      problems.push(`non-public API call from the public portal: ${path}`)
  })
  return { context, page }
}

/** @param {import('playwright-core').Page} page @param {string} name */
async function shot(page, name) {
  const overflow = await page.locator('html').evaluate((el) => el.scrollWidth - el.clientWidth)
  if (overflow > 0) problems.push(`${name}: horizontal scroll of ${overflow}px`)
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true })
  console.log('screenshot', name)
}

/** Picks an option of an Element Plus select by its visible text.
 * @param {import('playwright-core').Page} page @param {string} testid @param {string} text */
async function choose(page, testid, text) {
  await page.getByTestId(testid).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}

// The school a search should find: the first one of the directory.
const first = /** @type {any} */ (await (await fetch(`${base}/api/v1/public/schools?limit=1`)).json()).items[0]
console.log('target school:', first.code, first.name, first.region.city?.name, first.region.county?.name)

// A city whose statistics withhold some student cells (if the store has one).
/** @type {{province: string, city: string} | null} */
let withheld = null
const province = /** @type {any} */ (await (await fetch(`${base}/api/v1/public/regions`)).json()).items[0]
for (const city of /** @type {any} */ (await (await fetch(`${base}/api/v1/public/regions?parent=${province.code}`)).json()).items) {
  const s = /** @type {any} */ (await (await fetch(`${base}/api/v1/public/stats?region=${city.code}`)).json()).students
  if (!s.fewSchools && [...s.byStage, ...s.byGender].some((/** @type {any} */ c) => c.suppressed)) {
    withheld = { province: province.code, city: city.code }
    break
  }
}
console.log('region with withheld cells:', withheld)

/** @type {[string, {width: number, height: number}][]} */
const kViewports = [['phone', { width: 375, height: 667 }], ['desktop', { width: 1366, height: 768 }]]
for (const [label, viewport] of kViewports) {
  const { context, page } = await open(viewport)
  // 1. The directory opens at /public, with the first page of every school.
  await page.goto(`${base}/public`)
  await page.getByTestId('public-result-item').first().waitFor()
  if (!page.url().endsWith('/public/schools')) problems.push(`/public went to ${page.url()}`)
  await shot(page, `${label}-01-schools`)

  // 2. Region province → city → county, category and name; the query lands in the URL.
  await choose(page, 'public-province', first.region.province.name)
  await choose(page, 'public-city', first.region.city.name)
  if (first.region.county) await choose(page, 'public-county', first.region.county.name)
  await choose(page, 'public-category', first.category.label)
  await page.getByTestId('public-search').fill(first.name.slice(-5))
  await page.getByTestId('public-search-submit').click()
  await page.waitForURL(/q=/)
  await page.getByTestId('public-results').getByText(first.name).waitFor()
  console.log(label, 'search URL:', decodeURIComponent(page.url()))
  await shot(page, `${label}-02-search`)

  // 3. The search survives a reload (state in the URL).
  await page.reload()
  await page.getByTestId('public-results').getByText(first.name).waitFor()
  if (await page.getByTestId('public-search').inputValue() !== first.name.slice(-5)) problems.push('name lost on reload')

  // 4. The school page.
  await page.getByTestId('public-results').getByRole('link', { name: first.name }).click()
  await page.getByTestId('public-school-name').waitFor()
  const name = await page.getByTestId('public-school-name').innerText()
  if (name !== first.name) problems.push(`school page shows ${name}`)
  console.log(label, 'school facts:', (await page.getByTestId('public-school-facts').innerText()).replace(/\s+/g, ' '))
  await shot(page, `${label}-03-school`)
  // "Back" returns to the same search.
  await page.getByTestId('public-back').click()
  await page.waitForURL(/q=/)
  await page.getByTestId('public-results').getByText(first.name).waitFor()

  // 5. Unknown school: a friendly 404 page.
  expected = [404]
  await page.goto(`${base}/public/schools/9999999999`)
  await page.getByTestId('public-school-not-found').waitFor()
  await shot(page, `${label}-04-not-found`)
  expected = []
  await page.goto(`${base}/public/no-such-page`)
  await page.getByTestId('public-not-found').waitFor()

  // 6. "Load more" on the full directory (desktop).
  if (label === 'desktop') {
    await page.goto(`${base}/public/schools`)
    await page.getByTestId('public-load-more').waitFor()
    const before = await page.getByTestId('public-result-item').count()
    await page.getByTestId('public-load-more').click()
    await page.getByTestId('public-result-item').nth(before).waitFor()
    console.log(label, 'load more:', before, '→', await page.getByTestId('public-result-item').count())
  }

  // 7. Statistics: the node, then a city.
  await page.goto(`${base}/public/stats`)
  await page.getByTestId('public-stats-chart-stage').locator('canvas').waitFor()
  await page.waitForTimeout(600) // chart animation
  // Tooltips on hover (they must not need inline styles the CSP refuses).
  for (const id of ['stage', 'gender', 'category']) {
    await page.getByTestId(`public-stats-chart-${id}`).scrollIntoViewIfNeeded()
    await page.getByTestId(`public-stats-chart-${id}`).locator('canvas').first().hover()
    await page.waitForTimeout(300)
  }
  await shot(page, `${label}-05-stats`)
  await choose(page, 'public-province', first.region.province.name)
  await choose(page, 'public-city', first.region.city.name)
  await page.getByTestId('public-stats-title').getByText(first.region.city.name).waitFor()
  await page.waitForTimeout(600)
  console.log(label, 'stats (city):', (await page.getByTestId('public-stats-page').innerText()).replace(/\s+/g, ' ').slice(0, 500))
  await shot(page, `${label}-06-stats-city`)
  if (first.region.county) {
    await choose(page, 'public-county', first.region.county.name)
    await page.getByTestId('public-stats-title').getByText(first.region.county.name).waitFor()
    await page.waitForTimeout(600)
    console.log(label, 'stats (county):', (await page.getByTestId('public-stats-page').innerText()).replace(/\s+/g, ' ').slice(0, 300))
    await shot(page, `${label}-06-stats-county`)
  }

  // 7b. A region where some student cells are withheld: "—" and the note.
  if (withheld) {
    await page.goto(`${base}/public/stats?province=${withheld.province}&city=${withheld.city}`)
    await page.getByTestId('public-stats-suppressed-note').waitFor()
    const cells = await page.locator('[data-testid^="public-stats-table-"] td[data-suppressed="true"]').count()
    if (cells === 0) problems.push('no withheld cell shown as —')
    await page.waitForTimeout(600)
    await shot(page, `${label}-06-stats-withheld`)
  }

  // 7c. Keyboard: the skip link comes first; Enter in the name box searches.
  await page.goto(`${base}/public/schools`)
  await page.getByTestId('public-result-item').first().waitFor()
  await page.keyboard.press('Tab')
  const focused = (await page.locator(':focus').innerText()).trim()
  if (focused !== '跳到正文') problems.push(`first Tab focuses ${focused}`)
  await page.getByTestId('public-search').focus()
  await page.keyboard.type(first.name.slice(-5))
  await page.keyboard.press('Enter')
  await page.waitForURL(/q=/)
  await page.getByTestId('public-results').getByText(first.name).waitFor()

  // 8. Rate limited (the answer is simulated: 429 with Retry-After).
  expected = [429]
  await page.route('**/api/v1/public/schools?*', (r) =>
    r.fulfill({ status: 429, headers: { 'Retry-After': '7', 'Content-Type': 'application/json', 'X-Request-Id': 'check-429' },
      body: JSON.stringify({ error: { code: 'rate_limited', message: '请求过于频繁', fields: [], requestId: 'check-429' } }) }))
  await page.goto(`${base}/public/schools?q=test429`)
  await page.getByTestId('public-rate-limited').waitFor()
  console.log(label, '429:', await page.getByTestId('public-rate-limited').innerText())
  await shot(page, `${label}-07-rate-limited`)
  await page.unroute('**/api/v1/public/schools?*')

  // 9. An unexpected error shows the request id.
  expected = [500]
  await page.route('**/api/v1/public/stats*', (r) =>
    r.fulfill({ status: 500, headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'check-500' },
      body: JSON.stringify({ error: { code: 'internal', message: '内部错误', fields: [], requestId: 'check-500' } }) }))
  await page.goto(`${base}/public/stats?province=440000`)
  await page.getByTestId('public-error').getByText('check-500').waitFor()
  await shot(page, `${label}-08-error`)
  await page.unroute('**/api/v1/public/stats*')
  expected = []

  // 10. The login page links to the public portal, and back.
  await page.goto(`${base}/login`)
  await page.getByTestId('login-public').click()
  await page.getByTestId('public-staff-login').waitFor()
  await page.getByTestId('public-staff-login').click()
  await page.getByTestId('login-username').waitFor()
  await context.close()
}

await browser.close()
if (problems.length) {
  console.error('PROBLEMS:\n' + problems.join('\n'))
  process.exit(1)
}
console.log('public portal check: OK, no console errors; screenshots in', shots)
