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

/** An action's name on a case of `type`: a statistics submission is not refused but returned
 * (reject reopens the unit below), so its reject reads 退回. */
export function actionText(type: string | undefined, action: string): string {
  return type === 'stats.submission' && action === 'reject' ? t('cases.action.return') : t('cases.action.' + action)
}

export function statusText(status: string): string {
  return t('cases.status.' + status)
}

export function statusTagType(status: string): 'primary' | 'success' | 'danger' | 'info' {
  return status === 'approved' ? 'success' : status === 'rejected' ? 'danger' : status === 'open' ? 'primary' : 'info'
}

export function sideText(side: TransferSide): string {
  // A province on another node: no school or grade known here.
  if (!side.school) return side.schoolName
  return `${side.schoolName}（${side.school}） ${t('cases.grade', { grade: gradeLabel(side.grade), cls: side.class })}`
}

export interface StatusChangeDetails {
  student: { number: string; name: string; gender: number }
  school: { code: string; name: string }
  change: { type: string; name: string }
  from: { grade: number; class: string; status: string }
  to: { grade: number; class: string; status: string }
  reason: string
  document: string
  date: string
}

/** The status change's details of a case, or null for a case of another type. */
export function statusChangeOf(kase: ApprovalCase): StatusChangeDetails | null {
  if (!kase.type.startsWith('status.')) return null
  const d = kase.details as Partial<StatusChangeDetails>
  return d.student && d.change && d.from && d.to ? (d as StatusChangeDetails) : null
}

/** The changes a school can ask for (转学 has its own page), in code order. */
export const kStatusChangeTypes: { code: string; name: string; asksGrade?: boolean; asksClass?: boolean }[] = [
  { code: '02', name: '留级', asksClass: true },
  { code: '03', name: '降级', asksGrade: true, asksClass: true },
  { code: '04', name: '跳级', asksClass: true },
  { code: '11', name: '休学' },
  { code: '12', name: '复学' },
  { code: '13', name: '停学' },
  { code: '17', name: '恢复学籍' },
  { code: '18', name: '取消学籍' },
  { code: '19', name: '保留学籍' },
  { code: '29', name: '转班级', asksClass: true },
  { code: '31', name: '退学' },
  { code: '42', name: '开除学籍' },
  { code: '51', name: '死亡' },
  { code: '61', name: '提前毕业' },
  { code: '62', name: '结业' },
  { code: '63', name: '肄业' },
]

/** One corrected field: its API name, its label, and the values (masked in a case). */
export interface CorrectedField {
  field: string
  label: string
  from?: string | null
  to?: string | null
}
export interface CorrectionDetails {
  student: { number: string; name: string; gender: number }
  school: { code: string; name: string }
  corrections: CorrectedField[]
  reason: string
  document: string
  date: string | null
}

/** The correction's details of a case, or null for a case of another type. */
export function correctionOf(kase: ApprovalCase): CorrectionDetails | null {
  if (kase.type !== 'student.correction') return null
  const d = kase.details as Partial<CorrectionDetails>
  return d.student && Array.isArray(d.corrections) ? (d as CorrectionDetails) : null
}

/** A corrected value as shown: gender and ID type by name, an absent value as a dash. */
export function correctedValueText(field: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—'
  if (field === 'gender') return value === '1' ? '男' : value === '2' ? '女' : value
  return value
}

/** "姓名：王** → 王**；…" */
export function correctedFieldsText(fields: CorrectedField[]): string {
  return fields
    .map((f) => `${f.label}：${correctedValueText(f.field, f.from)} → ${correctedValueText(f.field, f.to)}`)
    .join('；')
}

/** One registration of a merge case, masked. */
export interface MergeSideDetails {
  number: string
  name: string
  gender: number
  grade: number
  status: string
  school: { code: string; name: string }
}
export interface MergeDetails {
  problem: { id: number; kind: string; kindName: string }
  kept: MergeSideDetails
  retired: MergeSideDetails
  reason: string
  document: string
}

/** The merge's details of a case (student.merge), or null for a case of another type. */
export function mergeOf(kase: ApprovalCase): MergeDetails | null {
  if (kase.type !== 'student.merge') return null
  const d = kase.details as Partial<MergeDetails>
  return d.kept && d.retired && d.problem ? (d as MergeDetails) : null
}
