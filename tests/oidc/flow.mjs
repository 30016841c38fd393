// The OpenID Connect code flow against a running nemis, driven by a well-known client
// library (openid-client), then every tampered step, each of which the client must refuse.
// Run by tests/integration/oidc_client_test.cpp, which starts the server and registers the
// client; prints what passed as JSON and exits non-zero on the first failure.
import * as client from 'openid-client';

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const issuer = new URL(env('NEMIS_ISSUER'));
const redirectUri = env('NEMIS_REDIRECT_URI');
const postLogoutUri = env('NEMIS_POST_LOGOUT_URI');
const login = env('NEMIS_LOGIN');
const password = env('NEMIS_PASSWORD');
const passed = [];

function check(condition, what) {
  if (!condition) throw new Error(`failed: ${what}`);
  passed.push(what);
}

async function refused(promise, what) {
  try {
    await promise;
  } catch {
    passed.push(`refused: ${what}`);
    return;
  }
  throw new Error(`accepted although tampered: ${what}`);
}

// A browser: keeps the provider's cookies and does not follow redirects by itself.
class Browser {
  jar = new Map();

  async request(url, init = {}) {
    const headers = { ...(init.headers ?? {}), cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') };
    const response = await fetch(new URL(url, issuer), { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (value === '' || /max-age=0/i.test(cookie)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return response;
  }

  // Follows an authorization request to its redirect back to the client, signing in on the
  // login page when the provider asks for it.
  async authorize(url) {
    let response = await this.request(url);
    let location = response.headers.get('location') ?? '';
    if (location.startsWith('/oidc/login')) {
      const page = await (await this.request(location)).text();
      const formToken = /name="form_token" value="([^"]+)"/.exec(page)?.[1];
      const back = new URL(location, issuer).searchParams.get('return');
      response = await this.request('/oidc/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ return: back, form_token: formToken, login, password }),
      });
      check(response.status === 303, 'the login page signs in');
      response = await this.request(response.headers.get('location'));
      location = response.headers.get('location') ?? '';
    }
    check(response.status === 302 && location.startsWith(redirectUri), 'the provider redirects back to the client');
    return new URL(location);
  }
}

async function main() {
  const options = { execute: [client.allowInsecureRequests] };  // http on the loopback address
  const config = await client.discovery(issuer, env('NEMIS_CLIENT_ID'), env('NEMIS_CLIENT_SECRET'), undefined, options);
  client.enableNonRepudiationChecks(config);  // ID tokens checked against the JWKS too
  check(config.serverMetadata().issuer === issuer.href.replace(/\/$/, ''), 'discovery');
  const browser = new Browser();

  // Starts an authorization with fresh PKCE, state and nonce; returns what the callback needs.
  async function start(extra = {}) {
    const pkceCodeVerifier = client.randomPKCECodeVerifier();
    const expectedState = client.randomState();
    const expectedNonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri, scope: 'openid profile', state: expectedState, nonce: expectedNonce,
      code_challenge: await client.calculatePKCECodeChallenge(pkceCodeVerifier), code_challenge_method: 'S256', ...extra,
    });
    return { callback: await browser.authorize(url), checks: { pkceCodeVerifier, expectedState, expectedNonce } };
  }

  const first = await start();
  const tokens = await client.authorizationCodeGrant(config, first.callback, first.checks);
  const claims = tokens.claims();
  check(claims.sub === login && claims.org === env('NEMIS_ORG') && Array.isArray(claims.roles), 'ID token claims');
  const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  check(info.sub === login && info.org === claims.org, 'userinfo');
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  check(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token, 'refresh token rotated');

  await refused(client.authorizationCodeGrant(config, first.callback, first.checks), 'a replayed code');
  await refused(client.refreshTokenGrant(config, tokens.refresh_token), 'a reused refresh token');
  await refused(client.refreshTokenGrant(config, refreshed.refresh_token), 'the family of a reused refresh token');

  const tamper = async (what, change) => {
    const flow = await start();
    const callback = new URL(flow.callback);
    const checks = { ...flow.checks };
    change(callback, checks);
    await refused(client.authorizationCodeGrant(config, callback, checks), what);
  };
  await tamper('a changed state', (cb) => cb.searchParams.set('state', 'forged'));
  await tamper('a changed issuer', (cb) => cb.searchParams.set('iss', 'https://evil.example'));
  await tamper('a changed code', (cb) => cb.searchParams.set('code', cb.searchParams.get('code') + 'x'));
  await tamper('a wrong code verifier', (cb, checks) => { checks.pkceCodeVerifier = client.randomPKCECodeVerifier(); });
  await tamper('a different nonce', (cb, checks) => { checks.expectedNonce = client.randomNonce(); });

  const plain = await start({ code_challenge_method: 'plain' });
  check(plain.callback.searchParams.get('error') === 'invalid_request', 'PKCE plain refused by the provider');
  await refused(client.authorizationCodeGrant(config, plain.callback, plain.checks), 'an error response');

  const impostor = await client.discovery(issuer, env('NEMIS_CLIENT_ID'), 'not-the-secret', undefined, options);
  const flow = await start();
  await refused(client.authorizationCodeGrant(impostor, flow.callback, flow.checks), 'a wrong client secret');

  const last = await start();
  const lastTokens = await client.authorizationCodeGrant(config, last.callback, last.checks);
  const endSession = client.buildEndSessionUrl(config, {
    id_token_hint: lastTokens.id_token, post_logout_redirect_uri: postLogoutUri, state: 'bye',
  });
  const bye = await browser.request(endSession);
  check(bye.status === 302 && bye.headers.get('location') === `${postLogoutUri}?state=bye`, 'end session');
  await refused(client.refreshTokenGrant(config, lastTokens.refresh_token), 'a refresh token after logout');
}

try {
  await main();
  console.log(JSON.stringify({ passed }));
} catch (error) {
  console.log(JSON.stringify({ passed, error: String(error?.stack ?? error) }));
  process.exitCode = 1;
}
