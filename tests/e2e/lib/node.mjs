// What the runner and the tests share without a browser: chromium's launch flags, a
// small API client with the session cookie and CSRF token, and RFC 6238 codes that are
// never reused (the node refuses a code, or an earlier one, once a step was used).
import { createHmac } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'

export const kChromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium'
/** DESIGN.md, "Known pitfalls": Debian's chromium headless. playwright-core adds a fresh
 * temporary --user-data-dir itself (passing one in args is refused). */
export const kChromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']

/** RFC 6238 (HMAC-SHA-1, 6 digits, 30 s) code of time step `step`. @param {string} secret base32 */
export function totpAt(secret, step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = ''
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0')
  const key = Buffer.from(bits.match(/.{8}/g)?.map((b) => parseInt(b, 2)) ?? [])
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(step))
  const h = createHmac('sha1', key).update(counter).digest()
  const o = (h[h.length - 1] ?? 0) & 15
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0')
}

const stepNow = () => Math.floor(Date.now() / 30000)

/** The last TOTP step used per login, in a file (the runner and each test process). */
export class TotpSteps {
  /** @param {string} file */
  constructor(file) {
    this.file = file
  }

  /** A step the node accepts (it allows one step of drift either way) and that is later
   * than any used for `login`; waits for the clock only when two steps ahead were used. */
  async next(/** @type {string} */ login) {
    const used = existsSync(this.file) ? JSON.parse(readFileSync(this.file, 'utf8')) : {}
    const step = Math.max((used[login] ?? -1) + 1, stepNow())
    while (step > stepNow() + 1) await new Promise((r) => setTimeout(r, 250)) // the clock, not a guess
    used[login] = step
    writeFileSync(this.file, JSON.stringify(used))
    return step
  }

  async code(/** @type {string} */ login, /** @type {string} */ secret) {
    return totpAt(secret, await this.next(login))
  }
}

/** The node's JSON API as the portal uses it: session cookie, then X-CSRF-Token on writes. */
export class NodeClient {
  /** @param {string} base */
  constructor(base) {
    this.base = base
    this.cookie = ''
    this.csrf = ''
  }

  async login(/** @type {string} */ login, /** @type {string} */ password, /** @type {string|undefined} */ otp) {
    const body = otp ? { login, password, otp } : { login, password }
    const principal = await this.call('POST', '/api/v1/auth/login', body)
    this.csrf = principal.csrfToken
    return principal
  }

  /** @param {string} method @param {string} path @param {unknown} [body] */
  async call(method, path, body) {
    /** @type {Record<string,string>} */
    const headers = { Accept: 'application/json' }
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    if (this.cookie) headers.Cookie = this.cookie
    if (this.csrf && method !== 'GET') headers['X-CSRF-Token'] = this.csrf
    const r = await fetch(this.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const set = r.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => c?.startsWith('nemis_session='))
    if (set.length) this.cookie = set[set.length - 1] ?? ''
    const text = await r.text()
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`)
    return text ? JSON.parse(text) : null
  }
}
