// (a) Sign-in: password then TOTP (the test computes the code), the first-login forced
// password change, a wrong password's error and the lockout after repeated failures.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { account, state, steps, submitPassword, withPage } from '../lib/harness.mjs'

test('sign in with password, then the TOTP code', async (t) => {
  // 401 mfa_required answers the password step of an account with an authenticator.
  await withPage(t, { allowHttp: [401] }, async ({ page, shot }) => {
    const a = account('totp')
    await page.goto(state.base + '/')
    await page.waitForURL((u) => u.pathname === '/login')
    await page.getByTestId('login-username').waitFor()
    await shot('login')
    await submitPassword(page, a.login, a.password)
    await page.getByTestId('login-second-factor').waitFor()
    await shot('login-totp')
    await page.getByTestId('login-totp').fill(await steps.code(a.login, a.totpSecret))
    await page.getByTestId('login-submit').click()
    await page.getByTestId('home').waitFor()
    assert.equal(new URL(page.url()).pathname, '/')
    assert.equal((await page.getByTestId('home-login').innerText()).trim(), a.login)
    assert.match(await page.getByTestId('user-menu').innerText(), /测试动态口令/)
    await shot('home')
  })
})

test('first sign-in forces a password change, then the new password works', async (t) => {
  await withPage(t, {}, async ({ page, shot }) => {
    const a = account('first') // made by the security administrator: one-time password
    const fresh = 'Xin-mima#2026e2e'
    await page.goto(state.base + '/login')
    await submitPassword(page, a.login, a.password)
    await page.waitForURL((u) => u.pathname === '/account/password')
    await page.getByTestId('change-password-forced').waitFor()
    await shot('change-password-forced')
    // Any other page sends the account back to the password change.
    await page.goto(state.base + '/org/tree')
    await page.waitForURL((u) => u.pathname === '/account/password')
    await page.getByTestId('change-password-current').fill(a.password)
    await page.getByTestId('change-password-new').fill(fresh)
    await page.getByTestId('change-password-confirm').fill(fresh)
    await page.getByTestId('change-password-submit').click()
    // The change ends every session: back to sign in, saying why.
    await page.waitForURL((u) => u.pathname === '/login')
    assert.match(await page.getByTestId('login-reason').innerText(), /密码已修改/)
    await submitPassword(page, a.login, fresh)
    await page.getByTestId('home').waitFor()
    assert.equal(new URL(page.url()).pathname, '/')
  })
})

test('a wrong password shows the error; repeated failures warn and then lock the account', async (t) => {
  await withPage(t, { allowHttp: [401] }, async ({ page, shot }) => {
    const a = account('lockout')
    await page.goto(state.base + '/login')
    await submitPassword(page, a.login, 'Wrong-Password#1')
    const error = page.getByTestId('login-error')
    await error.waitFor()
    assert.match(await error.innerText(), /登录名、密码或动态口令错误/)
    assert.equal(await page.getByTestId('login-lockout-warning').count(), 0)
    await shot('login-error')
    // Four more failures (five within 15 minutes lock the account for 30).
    for (let n = 2; n <= 5; n++) {
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'))
      await page.getByTestId('login-password').fill(`Wrong-Password#${n}`)
      await page.getByTestId('login-submit').click()
      assert.equal((await answered).status(), 401)
      await page.getByTestId('login-lockout-warning').getByText(`连续登录失败 ${n} 次`).waitFor()
    }
    const warning = await page.getByTestId('login-lockout-warning').innerText()
    assert.match(warning, /锁定 30 分钟/)
    // Locked: even the right password is refused now.
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'))
    await page.getByTestId('login-password').fill(a.password)
    await page.getByTestId('login-submit').click()
    const locked = await answered
    assert.equal(locked.status(), 401)
    assert.equal((await locked.json()).error.code, 'login_failed')
    await page.getByTestId('login-lockout-warning').getByText('连续登录失败 6 次').waitFor()
    assert.equal(new URL(page.url()).pathname, '/login')
    assert.match(await page.getByTestId('login-error').innerText(), /暂时锁定/)
    await page.locator('[data-testid="login-submit"]:not(.is-loading)').waitFor()
    await shot('login-lockout')
  })
})
