#!/usr/bin/env node
// Browser tests of the NEMIS portal: sets up a throwaway node (a small generated
// province, accounts with known passwords, `nemis serve` on a free loopback port serving
// the built portal), starts one headless Debian chromium, runs the node:test files in
// tests/ against them one after the other, then stops everything and removes the node.
//   node run.mjs --nemis build/src/cli/nemis --portal web/dist [--out DIR] [--keep]
//     [--students N] [--only PATTERN]
// Exit codes: 0 all passed, 1 a test failed, 2 set-up failed, 77 skipped (no built
// portal, no node_modules or no chromium).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { kChromiumArgs, kChromiumPath, NodeClient, totpAt, TotpSteps } from './lib/node.mjs'

export const kSkip = 77
const here = dirname(fileURLToPath(import.meta.url))
const repo = resolve(here, '../..')
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1'

const args = process.argv.slice(2)
/** @param {string} name @param {string} [fallback] */
function arg(name, fallback = '') {
  const i = args.indexOf(name)
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback
}
const nemis = resolve(arg('--nemis', join(repo, 'build/src/cli/nemis')))
const portal = resolve(arg('--portal', join(repo, 'web/dist')))
const out = resolve(arg('--out', join(repo, 'build/e2e-screenshots')))
const students = Number(arg('--students', '2000'))
const only = arg('--only')
const keep = args.includes('--keep')

function skip(why) {
  console.log(`e2e: SKIPPED — ${why}`)
  process.exit(kSkip)
}
if (!existsSync(join(portal, 'index.html'))) skip(`no built portal at ${portal} (cd web && npm ci && npm run build)`)
for (const m of ['playwright-core', 'axe-core', 'exceljs']) {
  if (!existsSync(join(here, 'node_modules', m))) skip(`tests/e2e/node_modules/${m} missing (cd tests/e2e && npm ci)`)
}
if (!existsSync(kChromiumPath)) skip(`no chromium at ${kChromiumPath} (apt-get install chromium)`)
if (!existsSync(nemis)) {
  console.error(`e2e: no nemis binary at ${nemis}`)
  process.exit(2)
}

const started = Date.now()
const work = mkdtempSync(join(tmpdir(), 'nemis-e2e-'))
// Chromium's temporary profile (playwright-core passes a fresh --user-data-dir under the
// temporary directory) lands inside the throwaway node and goes with it.
process.env.TMPDIR = work
mkdirSync(out, { recursive: true })
/** @type {import('node:child_process').ChildProcess | null} */
let server = null
/** @type {import('playwright-core').BrowserServer | null} */
let browserServer = null
/** @type {import('node:child_process').ChildProcess | null} */
let testRun = null

// The registry's year-end freezes (1 July – 10 August, Beijing time) refuse new transfers
// and the graduating grades' business: a run on those days moves that year's calendar to
// the end of December, so that the tests' transfers and status changes open.
const chinaToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
const inYearEndFreeze = chinaToday.slice(5) >= '07-01' && chinaToday.slice(5) <= '08-10'
const calendarOutOfTheWay = inYearEndFreeze
  ? `[registry]\ncalendar_years = "${chinaToday.slice(0, 4)}:12-27,12-28,12-29,12-30"\n`
  : ''

const config = join(work, 'nemis.toml')
writeFileSync(
  config,
  `# Throwaway node of the browser tests (tests/e2e/run.mjs)
[store]
url = "sqlite:${join(work, 'e2e.db')}"
[portal]
dir = "${portal}"
[server]
address = "127.0.0.1"
spool_dir = "${join(work, 'spool')}"
[security]
field_key_file = "${join(work, 'keys/field.keys')}"
[audit]
signing_key_file = "${join(work, 'keys/audit_sm2.pem')}"
[identity]
# Every test signs in from 127.0.0.1: the per-address limit (20/min) would throttle the suite.
login_attempts_per_minute = 1000
# Cheaper password hashes: a test node signs in dozens of times on a 2-core machine.
argon2_memory_kib = 8192
argon2_iterations = 1
[log]
file = "${join(work, 'nemis.log')}"
${calendarOutOfTheWay}`,
)

/** Runs a nemis command in the work dir; returns stdout. @param {string[]} argv @param {string} [input] */
function nemisRun(argv, input) {
  const r = spawnSync(nemis, [...argv, '--config', config], { cwd: work, input, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`nemis ${argv.join(' ')} failed (${r.status}): ${r.stderr}`)
  return r.stdout
}

/** Parses gen's school CSV (办学类型 is `type`, 学校类别 `category`).
 * @returns {{code:string,name:string,type:string,category:string,county:string}[]} */
function readSchools(file) {
  const [, ...lines] = readFileSync(file, 'utf8').trim().split('\n')
  return lines.map((l) => {
    const c = l.split(',')
    return { code: c[0] ?? '', name: c[1] ?? '', type: c[2] ?? '', category: c[3] ?? '', county: c[6] ?? '' }
  })
}

/** The roster's first students of a school: names to search for. */
function readRoster(file, school) {
  const [head = '', ...lines] = readFileSync(file, 'utf8').trim().split('\n')
  const cols = head.split(',')
  const name = cols.indexOf('姓名')
  const sc = cols.indexOf('学校标识码')
  const id = cols.indexOf('身份证件号')
  return lines.map((l) => l.split(',')).filter((c) => c[sc] === school).slice(0, 20)
    .map((c) => ({ name: c[name] ?? '', idNumber: c[id] ?? '' }))
}

/**
 * The school's students with a resident ID (their number is G + the ID), in roster order:
 * the transfer test moves the last, the status-change test suspends the 30th; the other
 * tests see only the first 20.
 * @returns {{number:string,name:string,grade:string,classNo:string}[]}
 */
function readGStudents(file, school) {
  const [head = '', ...lines] = readFileSync(file, 'utf8').trim().split('\n')
  const cols = head.split(',')
  const at = (/** @type {string} */ n) => cols.indexOf(n)
  const [name, sc, idType, id, grade, classNo] = ['姓名', '学校标识码', '身份证件类型', '身份证件号', '年级', '班号'].map(at)
  const rows = lines.map((l) => l.split(',')).filter((c) => c[sc] === school && c[idType] === '1' && c[id])
  if (rows.length <= 31) throw new Error(`the school ${school} has too few students with a resident ID`)
  return rows.map((c) => ({ number: `G${c[id]}`, name: c[name] ?? '', grade: c[grade] ?? '', classNo: c[classNo] ?? '' }))
}

/** The last school year whose promotion (24:00 on 10 August, Beijing) has passed. */
function lastPromotionYear() {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
  const year = Number(today.slice(0, 4))
  return today.slice(5) > '08-10' ? year : year - 1
}

/** gen's ground truth of the planted duplicates, with the county of each side's school. */
function readPlanted(file, schools) {
  const countyOf = new Map(schools.map((s) => [s.code, s.county]))
  const [, ...lines] = readFileSync(file, 'utf8').trim().split('\n')
  return lines.map((l) => {
    const [form = '', , , originalSchool = '', copySchool = '', originalId = '', copyName = '', copyBirthDate = ''] = l.split(',')
    return { form, originalSchool, copySchool, originalId, copyName, copyBirthDate,
      originalCounty: countyOf.get(originalSchool) ?? '', copyCounty: countyOf.get(copySchool) ?? '' }
  })
}

/** The check character of a resident ID's first 17 digits (GB 11643). */
function idCheckCharacter(/** @type {string} */ first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...first17].reduce((n, d, i) => n + Number(d) * (weights[i] ?? 0), 0)
  return '10X98765432'[sum % 11]
}

/**
 * A school of its own for the next-stage test, registered by importing its pupils with the
 * school's attributes (as a county's first roster would): gen makes no junior high school
 * and two primary schools only at the e2e size, both used by other tests. Each pupil:
 * [name, 学段, grade, birth date, ID sequence (odd: a boy)]. Returns the school and its
 * pupils with their G numbers.
 */
function importSchool(roster, school, pupils) {
  const [head = ''] = readFileSync(roster, 'utf8').split('\n')
  const made = pupils.map(([name, stage, grade, born, seq]) => {
    const first17 = `${school.county}${born.replaceAll('-', '')}${seq}`
    const id = first17 + idCheckCharacter(first17)
    const values = {
      姓名: name, 性别: Number(seq) % 2 ? '1' : '2', 出生日期: born, 民族: '01', 国籍地区: '156',
      身份证件类型: '1', 身份证件号: id, 港澳台侨外: '0', 户口性质: '1', 学校标识码: school.code, 学段: stage,
      年级: grade, 班号: '01', 入学年月: '2025-09', 学生类别: '11100', 就读方式: '1', 留守儿童: '0',
      随迁子女: '0', 孤儿: '0', 烈士或优抚子女: '0', 监护人1姓名: '测试家长', 监护人1关系: '1',
      学校名称: school.name, 学校办学类型: school.type, 学校所在区划: school.county,
    }
    return { row: head.split(',').map((col) => values[col] ?? '').join(','), number: `G${id}`, name }
  })
  const file = join(work, `${school.code}.csv`)
  writeFileSync(file, [head, ...made.map((m) => m.row)].join('\n') + '\n')
  nemisRun(['import', 'students', file])
  return { school, pupils: made.map(({ number, name }) => ({ number, name })) }
}

async function waitReady(base, child) {
  const deadline = Date.now() + 30000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nemis serve exited (${child.exitCode})`)
    try {
      const r = await fetch(base + '/readyz')
      if (r.ok) return
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100)) // polling a condition, with a deadline
  }
  throw new Error('nemis serve not ready within 30 s')
}

/** Starts `nemis serve --port 0` and reads the URL it prints. */
function startServer() {
  return new Promise((resolveUrl, reject) => {
    const child = spawn(nemis, ['serve', '--config', config, '--port', '0'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] })
    server = child
    let text = ''
    let errText = ''
    child.stderr.on('data', (d) => { errText += d })
    child.stdout.on('data', (d) => {
      text += d
      const m = /NEMIS 已启动: (http:\/\/[^\s]+?)\/?\n/.exec(text)
      if (m) resolveUrl(m[1])
    })
    child.on('exit', (code) => reject(new Error(`nemis serve exited (${code}): ${errText}${text}`)))
  })
}

const kPassword = (/** @type {string} */ tag) => `Nemis-E2e#${tag}-2026x`
/** Second registrations planted into the province (gen --plant-duplicates): two of each form. */
const kPlanted = 8

async function setUp() {
  console.log(`e2e: throwaway node in ${work}`)
  // The same seed twice: into the store, and as files (schools, the roster's names).
  nemisRun(['gen', '--students', String(students), '--seed', '1', '--db', `sqlite:${join(work, 'e2e.db')}`])
  // The files carry kPlanted second registrations of generated students (gen appends them to
  // the roster, the ground truth to roster.csv.planted.csv): loaded into the store after the
  // rest, then the record-quality scan finds them (tests/problem_records.test.mjs).
  nemisRun(['gen', '--students', String(students), '--seed', '1', '--schools-out', join(work, 'schools.csv'),
    '--out', join(work, 'roster.csv'), '--plant-duplicates', String(kPlanted)])
  const [header, ...rows] = readFileSync(join(work, 'roster.csv'), 'utf8').trim().split('\n')
  writeFileSync(join(work, 'planted.csv'), [header, ...rows.slice(students)].join('\n') + '\n')
  nemisRun(['import', 'students', join(work, 'planted.csv')])
  nemisRun(['registry', 'scan'])
  const schools = readSchools(join(work, 'schools.csv'))
  const counts = new Map()
  for (const l of readFileSync(join(work, 'roster.csv'), 'utf8').split('\n').slice(1)) {
    const code = l.split(',')[10]
    if (code) counts.set(code, (counts.get(code) ?? 0) + 1)
  }
  // The school with the most students; a school in another county (same city if any).
  schools.sort((a, b) => (counts.get(b.code) ?? 0) - (counts.get(a.code) ?? 0))
  const school = schools[0]
  if (!school) throw new Error('gen made no school')
  const others = schools.filter((s) => s.county !== school.county)
  const sibling = others.find((s) => s.county.slice(0, 4) === school.county.slice(0, 4)) ?? others[0]
  if (!sibling) throw new Error('gen made schools in one county only: raise --students')
  const province = '440000'
  // The transfer test (tests/transfer.test.mjs): a school of another county of the province
  // that teaches what the school teaches (same 办学类型) receives one of its students; a
  // third county's officer stands by. With seed 1: 连州市第一小学 → 阳西县大岭小学, the
  // bystander a kindergarten's county.
  const receiving = schools.find((s) => s.county !== school.county && s.type === school.type)
  if (!receiving) throw new Error(`gen made no school of type ${school.type} outside county ${school.county}: the transfer test needs one`)
  const thirdCounty = schools.find((s) => s.county !== school.county && s.county !== receiving.county)?.county
  if (!thirdCounty) throw new Error('gen made schools in two counties only: the transfer test needs a third')

  // The next-stage test (tests/next_stage.test.mjs): a primary school of its own is
  // promoted, so its sixth grade graduates, and a junior high school enrols a graduate;
  // both in 天河区 (440106), where gen puts no school and no other test looks.
  const roster = join(work, 'roster.csv')
  if (schools.some((s) => s.county === '440106')) throw new Error('gen put a school in 440106: move the next-stage schools')
  const { school: feeder, pupils: sixthGraders } = importSchool(roster,
    { code: '2144009901', name: 'E2E测试小学', type: '211', county: '440106' },
    [['测试毕业', '小学', '6', '2014-05-01', '991'], ['测试毕业二', '小学', '6', '2014-05-02', '993']])
  const { school: junior } = importSchool(roster,
    { code: '3144009901', name: 'E2E测试初级中学', type: '311', county: '440106' },
    [['测试初一', '初中', '7', '2013-06-01', '995']])
  nemisRun(['registry', 'promote', '--year', String(lastPromotionYear()), '--org', feeder.code])
  // The merge test (tests/merge.test.mjs): one pupil registered at two schools of 天河区 (same
  // name, gender and birth date; two ID numbers), found by a scan of the county.
  const { school: keptSchool, pupils: [keptPupil] } = importSchool(roster,
    { code: '2144009902', name: 'E2E测试合并甲小学', type: '211', county: '440106' },
    [['测试重复生', '小学', '3', '2016-04-01', '981']])
  // Beside the copy, a pupil far older than its grade: the 佐证 test's finding.
  const { school: copySchool, pupils: [copyPupil, olderPupil] } = importSchool(roster,
    { code: '2144009903', name: 'E2E测试合并乙小学', type: '211', county: '440106' },
    [['测试重复生', '小学', '3', '2016-04-01', '983'], ['测试大龄生', '小学', '3', '2012-04-01', '985']])
  nemisRun(['registry', 'scan', '--org', '440106'])
  // The class-assignment test (tests/classes.test.mjs): a school of three first-graders.
  const { school: classSchool, pupils: classPupils } = importSchool(roster,
    { code: '2144009904', name: 'E2E测试分班小学', type: '211', county: '440106' },
    [['测试分班一', '小学', '1', '2019-05-01', '971'], ['测试分班二', '小学', '1', '2019-05-02', '972'],
      ['测试分班三', '小学', '1', '2019-05-03', '973']])

  /** @type {Record<string, {login:string,password:string,role:string,org:string,totpSecret?:string}>} */
  const accounts = {}
  const add = (key, login, role, org, name) => {
    const password = kPassword(key)
    nemisRun(['user', 'add', login, '--role', role, '--org', org, '--name', name, '--password-stdin'], password + '\n')
    accounts[key] = { login, password, role, org }
  }
  add('registrar', 'e2e.school', 'school_registrar', school.code, '测试学籍员')
  add('county', 'e2e.county', 'county_registrar', school.county, '测试区县主管')
  add('audit', 'e2e.audit', 'audit_admin', province, '测试审计管理员')
  add('security', 'e2e.security', 'security_admin', province, '测试安全管理员')
  add('totp', 'e2e.totp', 'county_registrar', sibling.county, '测试动态口令')
  add('lockout', 'e2e.lockout', 'school_registrar', school.code, '测试锁定')
  add('a11y', 'e2e.a11y', 'school_registrar', school.code, '测试无障碍')
  // Registry officer of two counties at once (the grant switch): the second `user add` of
  // an existing account adds the grant.
  add('two', 'e2e.two', 'county_registrar', school.county, '测试两区主管')
  nemisRun(['user', 'add', 'e2e.two', '--role', 'county_registrar', '--org', sibling.county], '')
  // The transfer's parties: the receiving school's registrar opens it, the receiving county,
  // the sending school's head and the sending county (e2e.county) approve it.
  add('transfer.receiver', 'e2e.receiver', 'school_registrar', receiving.code, '测试转入学籍员')
  add('transfer.rcounty', 'e2e.rcounty', 'county_registrar', receiving.county, '测试转入区县主管')
  add('transfer.head', 'e2e.head', 'school_head', school.code, '测试转出校长')
  add('transfer.bystander', 'e2e.bystander', 'county_registrar', thirdCounty, '测试无关区县主管')
  add('junior', 'e2e.junior', 'school_registrar', junior.code, '测试初中学籍员')
  // The deciding party of a planted pair (tests/problem_records.test.mjs): 不是重复 is for
  // the lowest authority over both schools, and with seed 1 every pair's two schools are in
  // two cities, so the province's registry officer decides;
  // it also runs the annual promotion (tests/promotion.test.mjs).
  add('province', 'e2e.province', 'province_registrar', province, '测试省级学籍主管')
  // The merge's parties: the copy's school asks, the kept school's head and 天河区 approve.
  add('merge.registrar', 'e2e.merge.school', 'school_registrar', copySchool.code, '测试合并学籍员')
  add('merge.head', 'e2e.merge.head', 'school_head', keptSchool.code, '测试保留方校长')
  add('merge.county', 'e2e.merge.county', 'county_registrar', '440106', '测试天河区主管')
  add('classes.registrar', 'e2e.classes', 'school_registrar', classSchool.code, '测试分班学籍员')
  // The statistics submission (tests/submission.test.mjs) in 天河区, whose few schools were all
  // registered today (none had pupils on 1 September): the class-assignment school's
  // statistician submits; two of the county's (who submits a unit may not approve it) review
  // the schools and submit the county; the city's (广州市) approves the county.
  const submission = { school: classSchool, county: '440106', city: '440100' }
  add('stats.school', 'e2e.stats.school', 'statistician', submission.school.code, '测试学校统计员')
  add('stats.county', 'e2e.stats.county', 'statistician', submission.county, '测试区县统计员')
  add('stats.county2', 'e2e.stats.county2', 'statistician', submission.county, '测试区县统计员二')
  add('stats.city', 'e2e.stats.city', 'statistician', submission.city, '测试地市统计员')

  console.log(`e2e: province and accounts ${((Date.now() - started) / 1000).toFixed(1)} s`)
  const base = await startServer()
  await waitReady(base, server)
  console.log(`e2e: nemis serve at ${base} (portal ${portal})`)

  // Authenticators through the API (administrators must bind one; e2e.totp chooses to).
  const steps = new TotpSteps(join(work, 'totp-steps.json'))
  for (const key of ['security', 'audit', 'totp']) {
    const a = accounts[key]
    const c = new NodeClient(base)
    await c.login(a.login, a.password)
    const enrol = await c.call('POST', '/api/v1/auth/mfa/totp', {})
    a.totpSecret = enrol.secret
    const step = await steps.next(a.login)
    await c.call('POST', '/api/v1/auth/mfa/totp/confirm', { code: totpAt(enrol.secret, step) })
    if (key === 'security') {
      // An account made by the security administrator: one-time password, must change it.
      const made = await c.call('POST', '/api/v1/accounts', {
        login: 'e2e.first', displayName: '测试首次登录', org: school.county,
        grants: [{ role: 'county_registrar', org: school.county }],
      })
      accounts.first = { login: 'e2e.first', password: made.password, role: 'county_registrar', org: school.county }
    }
  }
  const gStudents = readGStudents(join(work, 'roster.csv'), school.code)
  const state = {
    base, work, out, portal, school, sibling, province, accounts,
    roster: readRoster(join(work, 'roster.csv'), school.code),
    schoolStudents: counts.get(school.code) ?? 0,
    transfer: { to: receiving, student: gStudents[gStudents.length - 1] },
    statusChangeStudent: gStudents[30],
    correctionStudent: gStudents[31],
    nextStage: { junior, feeder, graduate: sixthGraders[0] },
    merge: { keptSchool, copySchool, kept: keptPupil, copy: copyPupil, older: olderPupil },
    classes: { school: classSchool, pupils: classPupils },
    submission,
    nemis,
    planted: readPlanted(join(work, 'roster.csv.planted.csv'), schools),
    stepsFile: join(work, 'totp-steps.json'),
  }
  writeFileSync(join(work, 'state.json'), JSON.stringify(state, null, 2))
  return state
}

async function tearDown() {
  if (testRun && testRun.exitCode === null) testRun.kill('SIGTERM')
  if (browserServer) await browserServer.close().catch(() => {})
  if (server && server.exitCode === null) {
    const s = server
    const exited = new Promise((r) => s.once('exit', r))
    s.kill('SIGTERM')
    const timer = setTimeout(() => s.kill('SIGKILL'), 15000)
    await exited
    clearTimeout(timer)
  }
  if (keep) console.log(`e2e: kept ${work}`)
  else rmSync(work, { recursive: true, force: true })
}

// Interrupted (Ctrl-C, a CTest timeout): stop the node and the browser, remove the directory.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`e2e: ${signal}, cleaning up`)
    void tearDown().finally(() => process.exit(130))
  })
}

let code = 0
try {
  let state
  try {
    state = await setUp()
    const { chromium } = await import('playwright-core')
    browserServer = await chromium.launchServer({ executablePath: kChromiumPath, headless: true, args: kChromiumArgs })
  } catch (e) {
    console.error('e2e: set-up failed:', e)
    const log = join(work, 'nemis.log')
    if (existsSync(log)) console.error(readFileSync(log, 'utf8').split('\n').slice(-30).join('\n'))
    code = 2
    throw e
  }
  const files = readdirSync(join(here, 'tests')).filter((f) => f.endsWith('.test.mjs') && (!only || f.includes(only))).sort()
    .map((f) => join(here, 'tests', f))
  console.log(`e2e: set-up ${((Date.now() - started) / 1000).toFixed(1)} s; running ${files.length} test files`)
  const child = testRun = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-timeout=120000', '--test-reporter=spec', ...files], {
    cwd: here,
    stdio: 'inherit',
    env: { ...process.env, NEMIS_E2E_STATE: join(work, 'state.json'), NEMIS_E2E_BROWSER: browserServer.wsEndpoint() },
  })
  code = await new Promise((r) => child.on('exit', (c) => r(c ?? 1)))
  console.log(`e2e: ${code === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${state.out}`)
} catch {
  if (!code) code = 1
} finally {
  await tearDown()
}
process.exit(code)
