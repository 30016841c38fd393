// The roster import API (/api/v1/imports): the upload goes through XMLHttpRequest for its
// upload progress, with what the shared fetch client sends (session cookie, X-CSRF-Token,
// X-Request-Id) and the same error handling; polling and reports use the typed client.
import type { components } from '@/api/schema'
import { api } from '@/api/http'
import { ApiError, kNetworkError, toApiError } from '@/api/errors'
import { useAuthStore } from '@/stores/auth'
import { router, toLogin } from '@/router'

export type ImportTask = components['schemas']['ImportTask']
export type ImportReport = components['schemas']['ImportReport']
export type ImportRowError = components['schemas']['ImportRowError']
export type ImportProgress = components['schemas']['ImportProgress']

export interface UploadOptions {
  dryRun: boolean
  skipInvalid: boolean
  onProgress: (loaded: number, total: number) => void
}

export interface Upload {
  /** The task id (from `Location`, else the body's `id`). */
  done: Promise<string>
  abort: () => void
}

function requestId(): string {
  const bytes = new Uint8Array(8)
  crypto.getRandomValues(bytes)
  return 'web-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

const kGateCodes = new Set(['password_change_required', 'mfa_enrolment_required'])

function afterFailure(error: ApiError): void {
  const auth = useAuthStore()
  if (error.status === 401 && auth.signedIn) {
    auth.clear()
    toLogin(error.code)
  } else if (error.status === 403 && kGateCodes.has(error.code)) {
    auth.refresh().then(() => router.replace('/')).catch(() => router.replace({ name: 'login' }))
  }
}

/** POST /api/v1/imports/students with the CSV as the body (UTF-8: the portal re-encodes). */
export function uploadRoster(csv: Blob, options: UploadOptions): Upload {
  const xhr = new XMLHttpRequest()
  const id = requestId()
  const done = new Promise<string>((resolve, reject) => {
    const params = new URLSearchParams({
      dryRun: String(options.dryRun),
      skipInvalid: String(options.skipInvalid),
      encoding: 'utf-8',
    })
    xhr.open('POST', '/api/v1/imports/students?' + params.toString())
    xhr.setRequestHeader('Content-Type', 'text/csv; charset=utf-8')
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.setRequestHeader('X-Request-Id', id)
    const csrf = useAuthStore().csrfToken
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf)
    xhr.upload.onprogress = (e) => options.onProgress(e.loaded, e.lengthComputable ? e.total : csv.size)
    xhr.onerror = () => reject(new ApiError(0, kNetworkError, '', [], id))
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'))
    xhr.onload = () => {
      let body: unknown
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined
      } catch {
        body = undefined
      }
      if (xhr.status < 200 || xhr.status >= 300) {
        const error = toApiError(xhr.status, body, xhr.getResponseHeader('X-Request-Id') ?? id)
        afterFailure(error)
        reject(error)
        return
      }
      options.onProgress(csv.size, csv.size)
      const location = xhr.getResponseHeader('Location') ?? ''
      const fromLocation = location.split('/').filter(Boolean).pop()
      const fromBody = (body as { id?: unknown } | undefined)?.id
      const taskId = fromLocation || (typeof fromBody === 'string' ? fromBody : '')
      if (!taskId) reject(new ApiError(xhr.status, 'bad_response', '', [], xhr.getResponseHeader('X-Request-Id') ?? id))
      else resolve(taskId)
    }
    xhr.send(csv)
  })
  return { done, abort: () => xhr.abort() }
}

export async function getImportTask(id: string, signal?: AbortSignal): Promise<ImportTask> {
  return (await api.get('/api/v1/imports/{id}', signal ? { path: { id }, signal } : { path: { id } })).data
}

/** The CSV report link (a plain GET: the session cookie authenticates it). */
export function reportCsvUrl(id: string): string {
  return `/api/v1/imports/${encodeURIComponent(id)}/report?format=csv`
}

/**
 * Polls the task until it has finished; `onTask` sees every state. Waits 300 ms at first,
 * then longer (up to 2 s) while the task runs.
 */
export async function waitForImport(id: string, onTask: (t: ImportTask) => void, signal: AbortSignal): Promise<ImportTask> {
  let delay = 300
  for (;;) {
    const task = await getImportTask(id, signal)
    onTask(task)
    if (task.state === 'finished') return task
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, delay)
      signal.addEventListener('abort', () => {
        clearTimeout(timer)
        reject(new DOMException('aborted', 'AbortError'))
      }, { once: true })
    })
    delay = Math.min(2000, Math.round(delay * 1.5))
  }
}
