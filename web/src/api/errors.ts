// The API's error JSON ({"error":{code,message,fields,requestId}}) as an exception the
// pages catch, plus the portal's own codes for failures that never reached the server.
import type { components } from './schema'

export type ErrorBody = components['schemas']['Error']
export type FieldError = components['schemas']['FieldError']

/** Codes the portal makes up itself (no server answer to translate). */
export const kNetworkError = 'network_error'
export const kBadResponse = 'bad_response'

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields: FieldError[]
  readonly requestId: string
  /** The server's own (Chinese) message; shown when the portal has no translation. */
  readonly serverMessage: string

  constructor(status: number, code: string, serverMessage: string, fields: FieldError[], requestId: string) {
    super(`${status} ${code}: ${serverMessage}`)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.serverMessage = serverMessage
    this.fields = fields
    this.requestId = requestId
  }

  /** The field error for `field` (API camelCase name), if any. */
  field(field: string): FieldError | undefined {
    return this.fields.find((f) => f.field === field)
  }
}

/** Whether the server asked which institution (422, field `org`, code `org_required`): the
 * caller has several grants and named none. */
export function isOrgRequired(e: unknown): boolean {
  return e instanceof ApiError && e.field('org')?.code === 'org_required'
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false
  const e = (value as { error: unknown }).error
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string'
}

/** Builds the ApiError of a failed response whose body has been parsed (or not). */
export function toApiError(status: number, body: unknown, headerRequestId: string | null): ApiError {
  if (isErrorBody(body)) {
    const e = body.error
    return new ApiError(status, e.code, e.message ?? '', e.fields ?? [], e.requestId || headerRequestId || '')
  }
  return new ApiError(status, `http_${status}`, '', [], headerRequestId ?? '')
}
