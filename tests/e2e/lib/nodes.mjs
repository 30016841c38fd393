// Extra `nemis` nodes a test starts of its own, beside the suite's throwaway node: a config
// file in a folder of the test's (serving the suite's portal), the command line run with it,
// `nemis serve --port 0` waited for, and every server started here stopped in after().
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { state } from './harness.mjs'

/** The store URL of the node whose folder is `dir` (the one writeNodeConfig names). */
export const nodeStore = (/** @type {string} */ dir) => `sqlite:${join(dir, 'node.db')}`

/**
 * Writes `dir`/nemis.toml (creating `dir`) and returns its path: a SQLite store, field keys,
 * audit key, spool and log in `dir`, the suite's portal, cheap password hashes and no login
 * throttling; `extra` (TOML sections, e.g. [node]) is appended as it is.
 */
export function writeNodeConfig(/** @type {string} */ dir, extra = '') {
  mkdirSync(dir, { recursive: true })
  const config = join(dir, 'nemis.toml')
  writeFileSync(config, `# A node of an e2e test (tests/e2e/lib/nodes.mjs)
[store]
url = "${nodeStore(dir)}"
[portal]
dir = "${state.portal}"
[server]
address = "127.0.0.1"
spool_dir = "${join(dir, 'spool')}"
[security]
field_key_file = "${join(dir, 'keys/field.keys')}"
[audit]
signing_key_file = "${join(dir, 'keys/audit_sm2.pem')}"
[identity]
login_attempts_per_minute = 1000
argon2_memory_kib = 8192
argon2_iterations = 1
[log]
file = "${join(dir, 'nemis.log')}"
${extra}`)
  return config
}

/** `--set` with the `settings` (key=value), when there are any. */
const setArgs = (/** @type {string[]} */ settings) => (settings.length ? ['--set', settings.join(',')] : [])

/**
 * `run(argv, input)`: runs `nemis` with `config` and `settings` (key=value) in the config's
 * folder, `input` on its standard input, and returns its standard output; throws with its
 * output when it fails.
 */
export function nemisRunner(/** @type {string} */ config, /** @type {string[]} */ settings = []) {
  const dir = dirname(config)
  return (/** @type {string[]} */ argv, /** @type {string|undefined} */ input) => {
    const r = spawnSync(state.nemis, [...argv, '--config', config, ...setArgs(settings)], { cwd: dir, input, encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`nemis ${argv.join(' ')} (${basename(dir)}) failed (${r.status}): ${r.stderr}${r.stdout}`)
    return r.stdout
  }
}

/** @type {import('node:child_process').ChildProcess[]} */
const servers = []

/**
 * `nemis serve --port 0` with `config` and `settings` (key=value); resolves with its base URL
 * (from "NEMIS 已启动: …") and its process once /readyz answers (within 30 s). `name` is for
 * errors. stopAll stops it.
 * @returns {Promise<{base: string, child: import('node:child_process').ChildProcess}>}
 */
export async function startServe(/** @type {string} */ name, /** @type {string} */ config, /** @type {string[]} */ settings = []) {
  const child = spawn(state.nemis, ['serve', '--config', config, '--port', '0', ...setArgs(settings)], { cwd: dirname(config), stdio: ['ignore', 'pipe', 'pipe'] })
  servers.push(child)
  /** @type {string} */
  const base = await new Promise((resolve, reject) => {
    let text = ''
    let errText = ''
    child.stderr?.on('data', (d) => { errText += d })
    child.stdout?.on('data', (d) => {
      text += d
      const m = /NEMIS 已启动: (http:\/\/[^\s]+?)\/?\n/.exec(text)
      if (m) resolve(m[1] ?? '')
    })
    child.once('exit', (code) => reject(new Error(`nemis serve (${name}) exited (${code}): ${errText}${text}`)))
  })
  const deadline = Date.now() + 30000
  for (;;) {
    const ok = await fetch(base + '/readyz').then((r) => r.ok, () => false)
    if (ok) break
    if (Date.now() > deadline) throw new Error(`nemis serve (${name}) not ready within 30 s`)
    await new Promise((r) => setTimeout(r, 100)) // polling a condition, with a deadline
  }
  return { base, child }
}

/** Stops every server startServe started (SIGTERM, SIGKILL after 15 s): after(stopAll). */
export async function stopAll() {
  await Promise.all(servers.filter((s) => s.exitCode === null).map((s) => {
    const exited = new Promise((r) => s.once('exit', r))
    s.kill('SIGTERM')
    const timer = setTimeout(() => s.kill('SIGKILL'), 15000)
    return exited.finally(() => clearTimeout(timer))
  }))
}
