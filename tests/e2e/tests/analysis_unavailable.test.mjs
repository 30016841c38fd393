// (e) The ad hoc analysis (自定义分析) while the statistics engine is still loading: the
// count request (GET /api/v1/stats/students) answers 503 store_unavailable, as the engine
// does before it is ready (page.route stands in for a node that has just started). The
// page says so in Chinese, says it retries by itself, and retries the same query every 5 s
// (the page's timer driven with page.clock); once the engine answers, the pivot holds the
// figures the API gives the same session. After kAutoRetries (12) automatic retries the
// page stops and leaves the retry button, which loads the pivot once the engine is ready.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { openMenu, settled, signIn, withPage } from '../lib/harness.mjs'

const kAutoRetries = 12 // AnalysisView.vue
const kRetryMs = 5000
const kLoading = '统计引擎正在加载（节点刚启动时需要一些时间），暂时无法统计，请稍后重试。' // analysis.err.loading
const kAutoRetryNote = '系统将每隔 5 秒自动重试。' // analysis.autoRetry

const digits = (/** @type {string} */ s) => Number(s.replace(/[^\d]/g, ''))
// The analysis' count request: the home dashboard asks the same path, but never with a status.
const isCountsUrl = (/** @type {URL} */ u) => u.pathname === '/api/v1/stats/students' && u.searchParams.has('status')
const isCounts = (/** @type {import('playwright-core').Response} */ r) => isCountsUrl(new URL(r.url()))

/** What the server answers while the statistics engine loads (src/stats/stats_engine.cpp, Error schema). */
function unavailable(/** @type {number} */ n) {
  const requestId = `e2e-unavailable-${n}`
  return {
    status: 503,
    contentType: 'application/json; charset=utf-8',
    headers: { 'X-Request-Id': requestId },
    body: JSON.stringify({ error: { code: 'store_unavailable', message: '统计引擎正在加载，请稍后再试', fields: [], requestId } }),
  }
}

/**
 * Answers the count request 503 the first `times` times (all of them when `times` is
 * Infinity), then lets it through to the node. Returns the URLs the page asked.
 */
async function engineLoading(/** @type {import('playwright-core').Page} */ page, times) {
  /** @type {URL[]} */
  const asked = []
  await page.route(isCountsUrl, async (route) => {
    asked.push(new URL(route.request().url()))
    if (asked.length <= times) await route.fulfill(unavailable(asked.length))
    else await route.fallback()
  })
  return asked
}

/** The page's default query as the page asks it: grade × gender of the caller's scope, current students. */
function assertDefaultQuery(/** @type {URL} */ u) {
  assert.equal(u.searchParams.get('by'), 'grade,gender')
  assert.equal(u.searchParams.get('status'), 'current')
  assert.equal(u.searchParams.has('org'), false)
}

/** The 503 state: the message and the retry button, no skeleton, no pivot; whether the auto-retry note is shown. */
async function assertLoadingMessage(page, { note }) {
  const box = page.getByTestId('analysis-error')
  await box.waitFor()
  const text = await box.innerText()
  assert.ok(text.includes(kLoading), `the engine-loading message is shown: ${text}`)
  assert.equal(text.includes(kAutoRetryNote), note, `the auto-retry note is ${note ? '' : 'not '}shown: ${text}`)
  assert.equal(await page.getByTestId('analysis-retry').isVisible(), true, 'the retry button is shown')
  assert.equal(await page.getByTestId('state-loading').count(), 0, 'no request is running')
  assert.equal(await page.getByTestId('analysis-table').count(), 0, 'no pivot yet')
  assert.equal(await page.getByTestId('analysis-grand').count(), 0, 'no total yet')
}

/** Right after the clock ran: no count request started (the page would show its skeleton at once). */
async function assertNoRetry(page, asked, n, why) {
  assert.equal(await page.getByTestId('state-loading').count(), 0, why)
  assert.equal(await page.getByTestId('analysis-error').isVisible(), true, why)
  assert.equal(asked.length, n, why)
}

/** Pauses the page's clock (its timers then fire only through runFor). */
async function pauseClock(page) {
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000)
}

/** Runs the page's clock for `ms` and returns the count response the page asked then (or null). */
async function tick(page, ms, { expectRequest }) {
  if (!expectRequest) {
    await page.clock.runFor(ms)
    return null
  }
  const next = page.waitForResponse(isCounts)
  await page.clock.runFor(ms)
  return next
}

/** The pivot shows exactly the API's counts of grade × gender (asked with the page's session). */
async function assertPivotIsTheApis(page) {
  await page.getByTestId('analysis-table').waitFor()
  await settled(page)
  const res = await page.request.get(new URL('/api/v1/stats/students?by=grade,gender&status=current', page.url()).href)
  assert.equal(res.status(), 200)
  const api = await res.json()
  assert.ok(api.total > 0, `the county has students (${api.total})`)
  const key = (/** @type {unknown} */ v) => (v === null || v === undefined ? 'null' : String(v))
  assert.equal(digits(await page.getByTestId('analysis-grand').innerText()), api.total)
  assert.equal(digits(await page.getByTestId('analysis-total').innerText()), api.total)
  const grades = [...new Set(api.rows.map((r) => key(r.grade)))]
  assert.equal(await page.locator('[data-testid^="analysis-rowtotal-"]').count(), grades.length, 'one row per grade')
  for (const g of grades) {
    const n = api.rows.filter((r) => key(r.grade) === g).reduce((s, r) => s + r.count, 0)
    assert.equal(digits(await page.getByTestId(`analysis-rowtotal-${g}`).innerText()), n, `grade ${g}`)
  }
  for (const r of api.rows) {
    assert.equal(digits(await page.getByTestId(`analysis-cell-${key(r.grade)}-${key(r.gender)}`).innerText()), r.count,
      `grade ${key(r.grade)} × gender ${key(r.gender)}`)
  }
  for (const gender of new Set(api.rows.map((r) => key(r.gender)))) {
    const n = api.rows.filter((r) => key(r.gender) === gender).reduce((s, r) => s + r.count, 0)
    assert.equal(digits(await page.getByTestId(`analysis-coltotal-${gender}`).innerText()), n, `gender ${gender}`)
  }
  assert.equal(await page.getByTestId('analysis-error').count(), 0, 'the message is gone')
}

test('the ad hoc analysis while the statistics engine loads: it says so and retries every 5 s by itself', async (t) => {
  await withPage(t, { allowHttp: [503] }, async ({ page, shot }) => {
    await page.clock.install() // runs with the real time until paused
    const asked = await engineLoading(page, 2)
    await signIn(page, 'county')
    const first = page.waitForResponse(isCounts)
    await openMenu(page, 'stats-analysis', 'analysis-page')
    const refused = await first
    assert.equal(refused.status(), 503)
    assert.equal((await refused.json()).error.code, 'store_unavailable')
    assertDefaultQuery(new URL(refused.url()))

    // (1) The message and the auto-retry note; no pivot.
    await assertLoadingMessage(page, { note: true })
    await shot('analysis-engine-loading')

    // Not retried within 3.5 s (the timer was set before the pause, ≤ 1 s earlier), retried by 5.5 s.
    await pauseClock(page)
    await tick(page, 2500, { expectRequest: false })
    await assertNoRetry(page, asked, 1, 'no retry before 5 s')
    await assertLoadingMessage(page, { note: true })
    const second = await tick(page, 2000, { expectRequest: true })
    assert.equal(second?.status(), 503)
    assert.equal(asked.length, 2)
    assert.equal(asked[1].search, asked[0].search, 'the retry asks the same query')
    await assertLoadingMessage(page, { note: true })

    // The clock stands still now: the next retry comes exactly 5 s after the second 503.
    await tick(page, kRetryMs - 1, { expectRequest: false })
    await assertNoRetry(page, asked, 2, 'no retry before 5 s')
    await assertLoadingMessage(page, { note: true })
    const third = await tick(page, 1, { expectRequest: true })
    // (2) The engine is ready: the node's answer, shown as the pivot.
    assert.equal(third?.status(), 200)
    assert.equal(asked.length, 3)
    assert.equal(asked[2].search, asked[0].search)
    await page.clock.resume()
    await assertPivotIsTheApis(page)
    // Done: no more requests, however long the page stays.
    await page.clock.fastForward(60_000)
    await settled(page)
    assert.equal(asked.length, 3, 'no request after the pivot loaded')
    await page.getByTestId('analysis-chart').locator('canvas').first().waitFor()
    await shot('analysis-engine-ready')
  })
})

test('the ad hoc analysis: after its automatic retries it stops, and the retry button loads the pivot', async (t) => {
  await withPage(t, { allowHttp: [503] }, async ({ page, shot }) => {
    await page.clock.install()
    const asked = await engineLoading(page, Infinity)
    await signIn(page, 'county')
    const first = page.waitForResponse(isCounts)
    await openMenu(page, 'stats-analysis', 'analysis-page')
    assert.equal((await first).status(), 503)
    await assertLoadingMessage(page, { note: true })

    // The first request and kAutoRetries retries, 5 s apart, all refused.
    await pauseClock(page)
    for (let n = 2; n <= kAutoRetries + 1; n++) {
      const again = await tick(page, kRetryMs, { expectRequest: true })
      assert.equal(again?.status(), 503)
      assert.equal(asked.length, n, `request ${n}`)
      assert.equal(asked[n - 1].search, asked[0].search)
      await page.getByTestId('analysis-error').waitFor()
      // The note while another retry is to come: after each of the first kAutoRetries refusals.
      await assertLoadingMessage(page, { note: n <= kAutoRetries })
    }

    // (3) Given up: the message without the note, the retry button, and no further request.
    await assertLoadingMessage(page, { note: false })
    await tick(page, 60_000, { expectRequest: false })
    await assertNoRetry(page, asked, kAutoRetries + 1, 'no automatic retry after the last one')
    await assertLoadingMessage(page, { note: false })
    await page.clock.resume()
    await shot('analysis-engine-gave-up')

    // The engine is ready now; the button asks again and the pivot shows the node's figures.
    await page.unroute(isCountsUrl)
    const retried = page.waitForResponse(isCounts)
    await page.getByTestId('analysis-retry').click()
    const answer = await retried
    assert.equal(answer.status(), 200)
    assertDefaultQuery(new URL(answer.url()))
    await assertPivotIsTheApis(page)
  })
})

test('the ad hoc analysis left while its request is on the way: the late 503 schedules no retry', async (t) => {
  await withPage(t, { allowHttp: [503] }, async ({ page }) => {
    await page.clock.install()
    /** @type {URL[]} */
    const asked = []
    /** @type {() => void} */
    let release = () => {}
    const held = new Promise((resolve) => { release = () => resolve(undefined) })
    await page.route(isCountsUrl, async (route) => {
      asked.push(new URL(route.request().url()))
      await held
      await route.fulfill(unavailable(asked.length))
    })
    await signIn(page, 'county')
    await openMenu(page, 'stats-analysis', 'analysis-page')
    await page.waitForFunction(() => document.querySelector('[data-testid="state-loading"]'))
    assert.equal(asked.length, 1, 'the count request is on its way')
    // Another page, then the refusal arrives for the page that is gone.
    await openMenu(page, 'student-list', 'student-list-page')
    const refused = page.waitForResponse(isCounts)
    release()
    assert.equal((await refused).status(), 503)
    await page.clock.runFor(60_000)
    await settled(page)
    assert.equal(asked.length, 1, 'no retry from the page that was left')
    assert.equal(new URL(page.url()).pathname.endsWith('/student/list'), true, page.url())
  })
})
