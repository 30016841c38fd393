// What a user of the portal waits for, measured in Debian's chromium (playwright-core from
// web/node_modules, headless): the JavaScript the sign-in page loads (bytes as sent, and
// gzip of each script for the budget), and the student list of a school showing its first
// page, beside the same page fetched from the API alone in the same browser.
//   node bench/portal_bench.mjs --url URL --login L --password P --school CODE [--runs 7]
import { createRequire } from 'node:module'
import { gzipSync } from 'node:zlib'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const { chromium } = createRequire(join(root, 'web', 'package.json'))('playwright-core')
const args = process.argv.slice(2)
const arg = (name, fallback = '') => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : fallback
}
const base = arg('--url')
const runs = Number(arg('--runs', '7'))
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
const page = await context.newPage()

// 1. The sign-in page: each script's bytes on the wire and gzipped.
const scripts = []
page.on('response', async (r) => {
  if (r.request().resourceType() !== 'script') return
  const body = await r.body()
  scripts.push({ url: r.url(), wire: Number(r.headers()['content-length'] ?? 0), raw: body.length,
    gzip: gzipSync(body, { level: 9 }).length })
})
await page.goto(`${base}/login`, { waitUntil: 'networkidle' })
page.removeAllListeners('response')
const sum = (k) => scripts.reduce((n, s) => n + s[k], 0)
const kib = (n) => (n / 1024).toFixed(0)

// 2. Sign in, then the school's student list, cold each time (a reload of the route).
await page.getByTestId('login-username').fill(arg('--login'))
await page.getByTestId('login-password').fill(arg('--password'))
await page.getByTestId('login-submit').click()
await page.waitForURL((u) => !u.pathname.startsWith('/login'))
const listUrl = `${base}/student/list?school=${arg('--school')}`
const uiTimes = []
for (let i = 0; i < runs; i++) {
  const started = Date.now()
  await page.goto(listUrl)
  await page.locator('[data-testid="student-table"] .el-table__row').first().waitFor()
  uiTimes.push(Date.now() - started)
}
const rows = await page.locator('[data-testid="student-table"] .el-table__row').count()
// The same first page from the API alone (the session cookie is the browser's).
const apiTimes = []
for (let i = 0; i < runs; i++) {
  apiTimes.push(await page.evaluate(async (school) => {
    const started = performance.now()
    const r = await fetch(`/api/v1/students?school=${school}&limit=50`)
    await r.json()
    return performance.now() - started
  }, arg('--school')))
}
await browser.close()

console.log(`| sign-in page: scripts | ${scripts.length} |`)
console.log(`| sign-in page: JavaScript as sent (brotli) | ${kib(sum('wire'))} KiB |`)
console.log(`| sign-in page: JavaScript gzip -9 (budget 300 KiB) | ${kib(sum('gzip'))} KiB |`)
console.log(`| sign-in page: JavaScript uncompressed | ${kib(sum('raw'))} KiB |`)
console.log(`| student list: first page shown (${rows} rows), median / max of ${runs} | ` +
  `${median(uiTimes)} / ${Math.max(...uiTimes)} ms |`)
console.log(`| the same page from the API alone, median / max of ${runs} | ` +
  `${median(apiTimes).toFixed(0)} / ${Math.max(...apiTimes).toFixed(0)} ms |`)
