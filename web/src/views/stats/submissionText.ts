// How a submission reads on screen: its state tag, and the server's refusals as the
// statistician should read them (each code of the submission routes has its own text;
// 422 field errors go next to the finding or the field they name).
import { i18n } from '@/i18n'
import { errorText } from '@/api/describe'
import { ApiError } from '@/api/errors'
import type { SubmissionAction, UnitState } from '@/api/statsSubmissions'

const t = (key: string, values?: Record<string, unknown>) =>
  (i18n.global.t as (key: string, values?: Record<string, unknown>) => string)(key, values ?? {})
const te = (key: string) => i18n.global.te(key) || i18n.global.te(key, 'zh-CN')

export function stateTagType(state: UnitState): 'primary' | 'success' | 'warning' | 'danger' | 'info' {
  switch (state) {
    case 'approved': return 'success'
    case 'submitted': return 'warning'
    case 'returned': return 'danger'
    case 'ready': return 'primary'
    default: return 'info'
  }
}

/** Whether the failure is the statistics engine still loading (the node has just started). */
export function engineLoading(e: unknown): boolean {
  return e instanceof ApiError && e.status === 503
}

/** The text of a failed action (or read) on a submission. */
export function submissionErrorText(e: unknown, action?: SubmissionAction): string {
  if (!(e instanceof ApiError)) return errorText(e)
  if (engineLoading(e)) return t('submission.engineLoading')
  if (e.code === 'validation_failed' && action === 'return') return t('submission.err.reason')
  if (e.code === 'validation_failed' && action && action !== 'submit') return errorText(e)
  if (e.code === 'units_not_approved') {
    // The server names the units (in Chinese): shown with the portal's text in zh-CN.
    const detail = i18n.global.locale.value === 'zh-CN' && e.serverMessage ? `（${e.serverMessage}）` : ''
    return t('submission.err.units_not_approved') + detail
  }
  const key = `submission.err.${e.code}`
  if (te(key)) return t(key)
  return errorText(e)
}

/**
 * The 422 field errors of a submit by finding id: `findings.<id>` (an error that blocks)
 * and `explanations.<id>` (a warning not explained).
 */
export function problemsByFinding(e: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (!(e instanceof ApiError) || e.status !== 422) return out
  for (const f of e.fields) {
    const m = /^(findings|explanations)\.(.+)$/.exec(f.field)
    if (!m || !m[2]) continue
    out[m[2]] = m[1] === 'explanations' ? t('submission.explanationRequired') : (f.message || t('submission.mustFix'))
  }
  return out
}
