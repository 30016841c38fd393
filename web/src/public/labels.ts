// Small helpers shared by the public pages.
import type { PublicSchool } from './api/client'

type T = (key: string, values?: Record<string, unknown>) => string

/** A code table entry as the API gives it ({code, label} or null): its label, else the code. */
export function codeLabel(entry: { code: string; label: string | null } | null | undefined, fallback: string): string {
  if (!entry) return fallback
  return entry.label ?? entry.code
}

/** "广东省 · 广州市 · 天河区" (levels the school does not have are left out). */
export function regionText(region: PublicSchool['region']): string {
  return [region.province, region.city, region.county]
    .filter((p): p is NonNullable<typeof p> => p !== null)
    .map((p) => p.name ?? p.code)
    .join(' · ')
}

/** "东经 113.32°，北纬 23.13°" */
export function coordinatesText(t: T, location: { longitude: number; latitude: number }, sep: string): string {
  const lon = location.longitude
  const lat = location.latitude
  const x = t(lon >= 0 ? 'pub.school.east' : 'pub.school.west', { v: Math.abs(lon).toFixed(4) })
  const y = t(lat >= 0 ? 'pub.school.north' : 'pub.school.south', { v: Math.abs(lat).toFixed(4) })
  return x + sep + y
}

export const kCategoryCodes = ['11', '21', '22', '31', '32', '33', '34', '35', '36', '37', '41', '42', '51', '91', '92', '93'] as const

/** One query-string value as a string ('' when absent or repeated oddly). */
export function queryString(v: unknown): string {
  if (typeof v === 'string') return v
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0]
  return ''
}
