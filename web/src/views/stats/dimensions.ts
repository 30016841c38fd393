// The dimensions of GET /api/v1/stats/students for the ad hoc analysis: their names, which
// are integers on the wire, the values a filter offers (the portal's code tables,
// views/student/codes.ts) and how a value reads in the pivot (男/女, 小学1年级, 是/否,
// 汉族（01）, an institution's name; null reads 未填).
import { i18n } from '@/i18n'
import { genderLabel, gradeLabel, statusLabel } from '@/utils/format'
import {
  codeName, kBoarding, kDisabilityType, kEthnicity, kHukouType, kLeftBehind, kSchoolType, kStages, kStudentStatus, kUrbanRural, type Code,
} from '@/views/student/codes'
import type { Key } from './pivot'

const t = (key: string, values?: Record<string, unknown>) =>
  (i18n.global.t as (k: string, v?: Record<string, unknown>) => string)(key, values ?? {})

export type DimensionId =
  | 'grade' | 'gender' | 'ethnicity' | 'stage' | 'leftBehind' | 'migrantChild' | 'orphan' | 'martyrChild'
  | 'disabilityType' | 'inRegularClass' | 'boarding' | 'hukouType' | 'status' | 'org' | 'urbanRural'
  | 'school' | 'classNo' | 'county' | 'birthYear' | 'schoolType'

/** In the order the pickers offer them. */
export const kDimensions: DimensionId[] = [
  'org', 'school', 'county', 'grade', 'stage', 'gender', 'ethnicity', 'status', 'hukouType', 'boarding',
  'leftBehind', 'migrantChild', 'orphan', 'martyrChild', 'disabilityType', 'inRegularClass', 'urbanRural', 'classNo',
  'birthYear', 'schoolType',
]

/** Institution codes: named from the org routes when the caller may read them. */
export const kOrgDimensions = new Set<string>(['org', 'school', 'county'])
/** Integers on the wire and in filters (src/stats/form_definition.cpp IsNumericDimension). */
const kNumeric = new Set<string>(['grade', 'gender', 'leftBehind', 'migrantChild', 'orphan', 'martyrChild', 'inRegularClass', 'boarding', 'birthYear'])
const kFlags = new Set<string>(['migrantChild', 'orphan', 'martyrChild', 'inRegularClass'])
const kCodeTables: Record<string, Code[]> = {
  ethnicity: kEthnicity, disabilityType: kDisabilityType, hukouType: kHukouType, urbanRural: kUrbanRural,
  leftBehind: kLeftBehind, boarding: kBoarding, schoolType: kSchoolType,
}
/** The national grade scale (utils/format.ts gradeLabel). */
const kGrades = Array.from({ length: 20 }, (_, i) => i - 2)

export function isDimension(id: string): id is DimensionId {
  return (kDimensions as string[]).includes(id)
}

export function dimensionName(id: string): string {
  return isDimension(id) ? t(`analysis.dim.${id}`) : id
}

/** Filters take every dimension but `org` (its meaning depends on the level). */
export const kFilterDimensions = kDimensions.filter((d) => d !== 'org')

/** "汉族（01）" for a code of a table; the bare code when the table lacks it. */
function coded(list: Code[], code: string): string {
  const name = codeName(list, code)
  return name === code ? code : `${name}（${code}）`
}

/**
 * How a value of `dim` reads: labels for grades, genders and flags, names with codes for
 * code tables, institution names from `names` (the code when unknown), 未填 for null.
 */
export function valueLabel(dim: string, v: Key, names: Readonly<Record<string, string>> = {}): string {
  if (v === null || v === '') return t('analysis.blank')
  const s = String(v)
  if (dim === 'grade') return typeof v === 'number' || /^-?\d+$/.test(s) ? gradeLabel(Number(v)) : s
  if (dim === 'gender') return s === '1' || s === '2' ? genderLabel(s) : s
  if (kFlags.has(dim)) return s === '1' ? t('analysis.yes') : s === '0' ? t('analysis.no') : s
  if (dim === 'stage') return kStages.find((x) => x.id === s)?.name ?? s
  if (dim === 'status') return statusLabel(s)
  const table = kCodeTables[dim]
  if (table) return dim === 'leftBehind' || dim === 'boarding' ? codeName(table, s) : coded(table, s)
  if (kOrgDimensions.has(dim)) return names[s] ?? s
  return s
}

export interface ValueOption {
  value: string
  label: string
}

/**
 * The values a filter on `dim` offers: the code tables, the grade scale, and for
 * institutions the ones named so far; classNo (and codes not listed) are typed in.
 */
export function valueOptions(dim: string, names: Readonly<Record<string, string>> = {}, orgCodes: readonly string[] = []): ValueOption[] {
  const opt = (value: string | number): ValueOption => ({ value: String(value), label: valueLabel(dim, value, names) })
  if (dim === 'grade') return kGrades.map(opt)
  if (dim === 'gender') return [1, 2].map(opt)
  if (kFlags.has(dim)) return [1, 0].map(opt)
  if (dim === 'stage') return kStages.map((s) => opt(s.id))
  if (dim === 'status') return kStudentStatus.map((c) => opt(c.code))
  const table = kCodeTables[dim]
  if (table) return table.map((c) => opt(c.code))
  if (kOrgDimensions.has(dim)) return orgCodes.map((c) => ({ value: c, label: names[c] ? `${names[c]}（${c}）` : c }))
  return []
}

/** Whether `value` is acceptable for `dim` before the server sees it (integers for numeric dimensions). */
export function validValue(dim: string, value: string): boolean {
  if (value === '' || /[;|]/.test(value)) return false
  return !kNumeric.has(dim) || /^-?\d+$/.test(value)
}
