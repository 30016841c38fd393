// Turns any thrown value into the text a user sees: the translated message of the
// API's error code, field messages for validation errors, and, for codes the portal
// does not know (or a 5xx), the request id so the user can quote it.
import { i18n } from '@/i18n'
import { ApiError } from './errors'

function translate(key: string): string | null {
  const t = i18n.global.t as (key: string) => string
  return i18n.global.te(key) || i18n.global.te(key, 'zh-CN') ? t(key) : null
}

/** The message of one field error: the server's Chinese text in zh-CN, else the code's. */
export function fieldMessage(code: string, serverMessage: string): string {
  if (i18n.global.locale.value === 'zh-CN' && serverMessage) return serverMessage
  return translate('fieldErrors.' + code) ?? serverMessage ?? code
}

export interface Described {
  message: string
  /** Shown (and quotable) when the failure is unexpected. */
  requestId: string | null
  fields: { field: string; message: string }[]
}

export function describeError(error: unknown): Described {
  const t = i18n.global.t as (key: string, values?: Record<string, unknown>) => string
  if (!(error instanceof ApiError)) {
    return { message: t('error.unknown', { code: 'client', id: '-' }), requestId: null, fields: [] }
  }
  const fields = error.fields.map((f) => ({
    field: f.field,
    message: t('error.fieldPrefix', {
      field: translate('field.' + f.field) ?? f.field,
      message: fieldMessage(f.code, f.message),
    }),
  }))
  const known = translate('errors.' + error.code)
  const unexpected = error.status >= 500 || error.code === 'internal'
  if (known && !unexpected) return { message: known, requestId: null, fields }
  if (known) return { message: known, requestId: error.requestId || null, fields }
  return {
    message: error.serverMessage
      ? `${error.serverMessage}（${error.code}）`
      : t('error.unknown', { code: error.code, id: error.requestId || '-' }),
    requestId: error.requestId || null,
    fields,
  }
}

/** One line for a toast: the message, the first field problems and the request id. */
export function errorText(error: unknown): string {
  const d = describeError(error)
  const t = i18n.global.t as (key: string, values?: Record<string, unknown>) => string
  const parts = [d.message, ...d.fields.slice(0, 3).map((f) => f.message)]
  if (d.requestId) parts.push(t('error.requestId', { id: d.requestId }))
  return parts.join(' ')
}

/**
 * A refusal the server words for the case at hand (403 not this caller's business, 409
 * closed or changed, 422 without fields): its own Chinese text in zh-CN; else the portal's
 * `${prefix}.${code}` when there is one; else errorText.
 */
export function refusalText(error: unknown, prefix = ''): string {
  if (error instanceof ApiError && !error.fields.length && [403, 409, 422].includes(error.status)) {
    if (i18n.global.locale.value === 'zh-CN' && error.serverMessage) return error.serverMessage
    const key = prefix && `${prefix}.${error.code}`
    if (key && translate(key)) return translate(key) as string
  }
  return errorText(error)
}
