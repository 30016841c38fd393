// Display helpers shared by the pages.
import { i18n } from '@/i18n'

const t = (key: string, values?: Record<string, unknown>) =>
  (i18n.global.t as (k: string, v?: Record<string, unknown>) => string)(key, values ?? {})

/** The national grade scale: pre-school -2..0, primary 1..6, junior 7..9, senior 10..12, higher 13..17. */
export function gradeLabel(grade: number): string {
  if (grade <= 0) return t('grade.pre', { n: grade + 3 })
  if (grade <= 6) return t('grade.primary', { n: grade })
  if (grade <= 9) return t('grade.junior', { n: grade - 6 })
  if (grade <= 12) return t('grade.senior', { n: grade - 9 })
  return t('grade.higher', { n: grade - 12 })
}

export function genderLabel(gender: number | string | null | undefined): string {
  return gender === 1 || gender === '1' ? t('gender.male') : gender === 2 || gender === '2' ? t('gender.female') : '—'
}

/** A student status code (学生当前状态码) with its name; an unknown code shows as itself. */
const kStatusCodes = new Set(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '99'])
export function statusLabel(code: string | null | undefined): string {
  if (!code) return '—'
  return kStatusCodes.has(code) ? `${t('status.s' + code)}（${code}）` : code
}

export function dateTime(iso: string): string {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(i18n.global.locale.value === 'en' ? 'en-GB' : 'zh-CN', { hour12: false })
}

/** Today's business date in China (Asia/Shanghai), YYYY-MM-DD: the default of a form's date. */
export function todayInChina(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
}
