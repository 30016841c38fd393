// The public portal's own fetch wrapper. It can only reach `/api/v1/public/...` (the
// path type admits nothing else), sends no CSRF token and never touches the session
// hooks of the management portal. Errors are the portal's ApiError; a 429 becomes a
// RateLimitedError that carries the server's Retry-After in seconds.
import type { components, paths } from '@/api/schema'
import { ApiError, kBadResponse, kNetworkError, toApiError } from '@/api/errors'

export type PublicRegionList = components['schemas']['PublicRegionList']
export type PublicRegion = PublicRegionList['items'][number]
export type PublicSchool = components['schemas']['PublicSchool']
export type PublicSchoolPage = components['schemas']['PublicSchoolPage']
export type PublicSchoolDetail = components['schemas']['PublicSchoolDetail']
export type PublicStats = components['schemas']['PublicStats']

type PublicPath = Extract<keyof paths, `/api/v1/public/${string}`>
type Query<P extends PublicPath> = paths[P]['get'] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never

/** 429 rate_limited: wait `retryAfter` seconds before asking again. */
export class RateLimitedError extends ApiError {
  readonly retryAfter: number
  constructor(base: ApiError, retryAfter: number) {
    super(base.status, base.code, base.serverMessage, base.fields, base.requestId)
    this.name = 'RateLimitedError'
    this.retryAfter = retryAfter
  }
}

function requestId(): string {
  const bytes = new Uint8Array(8)
  crypto.getRandomValues(bytes)
  return 'web-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date); at least 1. */
export function retryAfterSeconds(header: string | null): number {
  if (!header) return 1
  const n = Number(header)
  if (Number.isFinite(n)) return Math.max(1, Math.ceil(n))
  const at = Date.parse(header)
  return Number.isNaN(at) ? 1 : Math.max(1, Math.ceil((at - Date.now()) / 1000))
}

async function get<T>(path: string, query: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue
    params.append(k, String(v))
  }
  const qs = params.toString()
  const id = requestId()
  let response: Response
  try {
    const init: RequestInit = { headers: { Accept: 'application/json', 'X-Request-Id': id }, credentials: 'omit' }
    if (signal) init.signal = signal
    response = await fetch(qs ? `${path}?${qs}` : path, init)
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e
    throw new ApiError(0, kNetworkError, '', [], id)
  }
  let body: unknown
  if ((response.headers.get('Content-Type') ?? '').includes('json')) {
    try {
      body = await response.json()
    } catch {
      body = undefined
    }
  }
  if (!response.ok) {
    const error = toApiError(response.status, body, response.headers.get('X-Request-Id') ?? id)
    if (response.status === 429) throw new RateLimitedError(error, retryAfterSeconds(response.headers.get('Retry-After')))
    throw error
  }
  if (body === undefined) throw new ApiError(response.status, kBadResponse, '', [], response.headers.get('X-Request-Id') ?? id)
  return body as T
}

function typedGet<P extends PublicPath, T>(path: P, query?: Query<P>, signal?: AbortSignal): Promise<T> {
  return get<T>(path, (query ?? {}) as Record<string, unknown>, signal)
}

// Region lists change rarely (the server caches them too): keep each answer for the page's life.
const regionCache = new Map<string, Promise<PublicRegionList>>()

/** The divisions under `parent` (none: the node's provinces). */
export function listRegions(parent?: string): Promise<PublicRegionList> {
  const key = parent ?? ''
  let hit = regionCache.get(key)
  if (!hit) {
    hit = typedGet<'/api/v1/public/regions', PublicRegionList>('/api/v1/public/regions', parent ? { parent } : {})
    hit.catch(() => regionCache.delete(key))
    regionCache.set(key, hit)
  }
  return hit
}

export interface SchoolQuery {
  region?: string
  category?: string
  q?: string
  limit?: number
  after?: string
}

export function listSchools(query: SchoolQuery, signal?: AbortSignal): Promise<PublicSchoolPage> {
  return typedGet<'/api/v1/public/schools', PublicSchoolPage>('/api/v1/public/schools', query, signal)
}

export function getSchool(code: string, signal?: AbortSignal): Promise<PublicSchoolDetail> {
  const path = `/api/v1/public/schools/${encodeURIComponent(code)}`
  return get<PublicSchoolDetail>(path, {}, signal)
}

export function getStats(region?: string, signal?: AbortSignal): Promise<PublicStats> {
  return typedGet<'/api/v1/public/stats', PublicStats>('/api/v1/public/stats', region ? { region } : {}, signal)
}
