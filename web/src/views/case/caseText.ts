// How a case reads on screen: its status, its transfer details and a grade.
import { i18n } from '@/i18n'
import { gradeLabel } from '@/utils/format'
import { stageName } from '@/views/student/codes'
import type { ApprovalCase } from './api'

const t = (key: string, values?: Record<string, unknown>) =>
  (i18n.global.t as (key: string, values?: Record<string, unknown>) => string)(key, values ?? {})
const te = (key: string) => (i18n.global.te as (key: string) => boolean)(key)

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
 * (reject reopens the unit below), so its reject reads 退回; a cross-province duplicate's
 * approve and reject are the school's verdict on its registration (keep it, give it up). */
export function actionText(type: string | undefined, action: string): string {
  if (type === 'stats.submission' && action === 'reject') return t('cases.action.return')
  if (type === kDuplicateType && (action === 'approve' || action === 'reject')) return t('cases.duplicate.action.' + action)
  return t('cases.action.' + action)
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

/** A one-person-one-number conflict the national node reported about one of this node's
 * students (exchange.duplicate, src/exchange/conflict_cases.hpp): this province's student
 * (number and name masked) at its school, and the other province's registration as the
 * national view shows it, its name masked. */
export interface DuplicateDetails {
  conflictId: number
  kind: 'document_held' | 'number_held' | string
  side: 'incoming' | 'holder' | string
  since: string
  state: 'open' | 'disputed' | string
  student?: { number: string; name: string; gender: number }
  school?: { code: string; name: string; grade: number; class: string; stage: string }
  other: {
    provinceCode: string
    schoolCode: string
    schoolName: string
    stage: string
    grade: number
    status: string
    name: string
  }
}

export const kDuplicateType = 'exchange.duplicate'

/** The conflict's details of a case (exchange.duplicate), or null for a case of another type. */
export function duplicateOf(kase: ApprovalCase): DuplicateDetails | null {
  if (kase.type !== kDuplicateType) return null
  const d = kase.details as Partial<DuplicateDetails>
  return d.other && typeof d.other === 'object' && d.kind && d.side ? (d as DuplicateDetails) : null
}

/** 学籍号相同 / 身份证件相同; an unknown kind as itself. */
export function duplicateKindText(kind: string): string {
  return te('cases.duplicate.kind.' + kind) ? t('cases.duplicate.kind.' + kind) : kind
}

/** 先于对方登记 (holder) / 后于对方登记 (incoming); an unknown side as itself. */
export function duplicateSideText(side: string): string {
  return te('cases.duplicate.side.' + side) ? t('cases.duplicate.side.' + side) : side
}

/** A stage id by name (学段), as the student's page shows it. */
export function stageText(id: string | null | undefined): string {
  return id && te('studentDetail.stage.' + id) ? t('studentDetail.stage.' + id) : stageName(id)
}

/** The province-level divisions of GB/T 2260, as the server has them (src/codes/division_data.cpp).
 * The other registration is in a province of another node, which this node's own region list
 * (GET /api/v1/public/regions, its provinces only) does not hold. */
const kProvinceNames: Record<string, string> = {
  '110000': '北京市', '120000': '天津市', '130000': '河北省', '140000': '山西省', '150000': '内蒙古自治区',
  '210000': '辽宁省', '220000': '吉林省', '230000': '黑龙江省', '310000': '上海市', '320000': '江苏省',
  '330000': '浙江省', '340000': '安徽省', '350000': '福建省', '360000': '江西省', '370000': '山东省',
  '410000': '河南省', '420000': '湖北省', '430000': '湖南省', '440000': '广东省', '450000': '广西壮族自治区',
  '460000': '海南省', '500000': '重庆市', '510000': '四川省', '520000': '贵州省', '530000': '云南省',
  '540000': '西藏自治区', '610000': '陕西省', '620000': '甘肃省', '630000': '青海省', '640000': '宁夏回族自治区',
  '650000': '新疆维吾尔自治区', '710000': '台湾省', '810000': '香港特别行政区', '820000': '澳门特别行政区',
}

/** "北京市（110000）"; a code the table lacks as itself. */
export function provinceText(code: string): string {
  const name = kProvinceNames[code]
  return name ? `${name}（${code}）` : code || '—'
}
