// The fetch wrapper every page uses. Paths and bodies are typed from the generated
// OpenAPI types (schema.d.ts, `npm run gen:api`), so a contract change breaks the type
// check. Browser sessions: the HttpOnly cookie rides along by itself; writes add the
// session's CSRF token (X-CSRF-Token). Each request carries its own X-Request-Id.
import type { paths } from './schema'
import { ApiError, kBadResponse, kNetworkError, toApiError } from './errors'

type Method = 'get' | 'post' | 'patch'
type JsonOf<R> = R extends { content: { 'application/json': infer J } } ? J : void
type OkBody<O> = O extends { responses: infer R }
  ? R extends { 200: infer A }
    ? JsonOf<A>
    : R extends { 201: infer A }
      ? JsonOf<A>
      : R extends { 202: infer A }
        ? JsonOf<A>
        : void
  : never
type BodyOf<O> = O extends { requestBody: { content: { 'application/json': infer B } } }
  ? B
  : O extends { requestBody?: { content: { 'application/json': infer B } } }
    ? B
    : never
type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? (Q extends undefined ? never : Q) : never
type PathOf<O> = O extends { parameters: { path: infer P } } ? (P extends Record<string, unknown> ? P : never) : never

type PathsWith<M extends Method> = {
  [P in keyof paths]: paths[P] extends Record<M, object> ? P : never
}[keyof paths]
type Op<P extends keyof paths, M extends Method> = paths[P] extends Record<M, infer O> ? O : never

export interface RequestOptions<O> {
  path?: PathOf<O>
  query?: QueryOf<O>
  body?: BodyOf<O>
  headers?: Record<string, string>
  signal?: AbortSignal
}

export interface ApiResponse<T> {
  data: T
  headers: Headers
}

/** Hooks the auth store installs (kept here as plain callbacks to avoid an import cycle). */
interface SessionHooks {
  csrfToken: () => string | null
  /** A credentialled request answered 401 (session expired, revoked, account disabled). */
  onSignedOut: (error: ApiError) => void
  /** 403 password_change_required / mfa_enrolment_required. */
  onGate: (error: ApiError) => void
  /** "role@org" of the grant the user works under (X-Acting-Grant), or null for all. */
  actingGrant: () => string | null
}
let hooks: SessionHooks = {
  csrfToken: () => null,
  onSignedOut: () => {},
  onGate: () => {},
  actingGrant: () => null,
}
export function installSessionHooks(h: SessionHooks): void {
  hooks = h
}

const kGateCodes = new Set(['password_change_required', 'mfa_enrolment_required'])
// These answer 401 as part of their normal flow and must not end the portal's session.
const kOwnAuthPaths = new Set(['/api/v1/auth/login'])

function requestId(): string {
  const bytes = new Uint8Array(8)
  crypto.getRandomValues(bytes)
  return 'web-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

function buildUrl(template: string, path: Record<string, unknown> | undefined, query: object | undefined): string {
  let url = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = path?.[name]
    if (value === undefined || value === null) throw new Error(`missing path parameter ${name}`)
    return encodeURIComponent(String(value))
  })
  if (query) {
    const params = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue
      if (Array.isArray(v)) v.forEach((item) => params.append(k, String(item)))
      else params.append(k, String(v))
    }
    const qs = params.toString()
    if (qs) url += '?' + qs
  }
  return url
}

async function readJson(response: Response): Promise<unknown> {
  const type = response.headers.get('Content-Type') ?? ''
  if (response.status === 204 || !type.includes('json')) return undefined
  try {
    return await response.json()
  } catch {
    return undefined
  }
}

async function send<T>(method: Method, template: string, options: RequestOptions<unknown>): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { Accept: 'application/json', 'X-Request-Id': requestId(), ...options.headers }
  // The session's own routes always see the whole account (its grants, for the switcher).
  const acting = template.startsWith('/api/v1/auth/') ? null : hooks.actingGrant()
  if (acting) headers['X-Acting-Grant'] = acting
  let body: string | undefined
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(options.body)
  }
  if (method !== 'get') {
    const csrf = hooks.csrfToken()
    if (csrf) headers['X-CSRF-Token'] = csrf
  }
  const url = buildUrl(template, options.path as Record<string, unknown> | undefined, options.query as object | undefined)
  let response: Response
  try {
    const init: RequestInit = { method: method.toUpperCase(), headers, credentials: 'same-origin' }
    if (body !== undefined) init.body = body
    if (options.signal) init.signal = options.signal
    response = await fetch(url, init)
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e
    throw new ApiError(0, kNetworkError, '', [], headers['X-Request-Id'] ?? '')
  }
  const parsed = await readJson(response)
  if (!response.ok) {
    const error = toApiError(response.status, parsed, response.headers.get('X-Request-Id'))
    if (response.status === 401 && !kOwnAuthPaths.has(template)) hooks.onSignedOut(error)
    else if (response.status === 403 && kGateCodes.has(error.code)) hooks.onGate(error)
    throw error
  }
  if (parsed === undefined && response.status !== 204 && method === 'get') {
    throw new ApiError(response.status, kBadResponse, '', [], response.headers.get('X-Request-Id') ?? '')
  }
  return { data: parsed as T, headers: response.headers }
}

export const api = {
  get<P extends PathsWith<'get'>>(path: P, options: RequestOptions<Op<P, 'get'>> = {}) {
    return send<OkBody<Op<P, 'get'>>>('get', path, options as RequestOptions<unknown>)
  },
  post<P extends PathsWith<'post'>>(path: P, options: RequestOptions<Op<P, 'post'>> = {}) {
    return send<OkBody<Op<P, 'post'>>>('post', path, options as RequestOptions<unknown>)
  },
  patch<P extends PathsWith<'patch'>>(path: P, options: RequestOptions<Op<P, 'patch'>> = {}) {
    return send<OkBody<Op<P, 'patch'>>>('patch', path, options as RequestOptions<unknown>)
  },
}

/** A plain-text GET (e.g. the Prometheus `/metrics`), with the same error handling. */
export async function getText(path: '/metrics'): Promise<string> {
  const id = requestId()
  let response: Response
  try {
    response = await fetch(path, { headers: { Accept: 'text/plain', 'X-Request-Id': id }, credentials: 'same-origin' })
  } catch {
    throw new ApiError(0, kNetworkError, '', [], id)
  }
  if (!response.ok) throw toApiError(response.status, await readJson(response), response.headers.get('X-Request-Id'))
  return response.text()
}
