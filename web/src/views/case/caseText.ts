// How a case reads on screen: its status, its transfer details and a grade.
import { i18n } from '@/i18n'
import { gradeLabel } from '@/utils/format'
import type { ApprovalCase } from './api'

const t = (key: string, values?: Record<string, unknown>) =>
  (i18n.global.t as (key: string, values?: Record<string, unknown>) => string)(key, values ?? {})

export interface TransferSide {
  school: string
  schoolName: string
  grade: number
  class: string
}
export interface TransferDetails {
  student: { number: string; name: string; gender: number }
  stage: string
  from: TransferSide
  to: TransferSide
  reason: string
  date: string
}

/** The transfer's details of a case, or null for a case of another type. */
export function transferOf(kase: ApprovalCase): TransferDetails | null {
  if (!kase.type.startsWith('transfer.')) return null
  const d = kase.details as Partial<TransferDetails>
  return d.student && d.from && d.to ? (d as TransferDetails) : null
}

export function statusText(status: string): string {
  return t('cases.status.' + status)
}

export function statusTagType(status: string): 'primary' | 'success' | 'danger' | 'info' {
  return status === 'approved' ? 'success' : status === 'rejected' ? 'danger' : status === 'open' ? 'primary' : 'info'
}

export function sideText(side: TransferSide): string {
  return `${side.schoolName}（${side.school}） ${t('cases.grade', { grade: gradeLabel(side.grade), cls: side.class })}`
}
