// The home dashboard's data for one institution level: student counts from the statistics
// API (the same calls as the statistics page) and, with org.view, the institution and its
// direct children (names for the treemap, the count of schools / child institutions).
import { countStudents } from '@/api/stats'
import { childrenOf, getOrg, type Institution, type OrgLevel } from '@/api/org'
import { findRole } from '@/components/admin-roles'
import type { StatsRow } from '@/views/stats/charts'

export interface DashboardLevel {
  /** The institution counted (the server's answer: the caller's root when none was asked). */
  org: string
  name: string
  /** null without org.view. */
  level: OrgLevel | null
  /** Students in school (status 01). */
  total: number
  /** One row per next-level institution (`org`). */
  byOrg: StatsRow[]
  /** Rows grouped by stage, grade and gender. */
  detail: StatsRow[]
  /** Direct children, or null without org.view (or when they could not be read). */
  children: Institution[] | null
}

/** Loads one level; `code` undefined asks for the caller's own scope. */
export async function loadLevel(code: string | undefined, canViewOrgs: boolean): Promise<DashboardLevel> {
  const first = await countStudents(code, 'org')
  const org = first.org
  const [detail, inst] = await Promise.all([
    countStudents(org, 'stage,grade,gender'),
    // Names are a courtesy: a statistics-only grant may not read institutions.
    canViewOrgs ? getOrg(org).catch(() => null) : Promise.resolve(null),
  ])
  const children = canViewOrgs && inst && inst.level !== 'school' ? await childrenOf(org).catch(() => null) : inst?.level === 'school' ? [] : null
  return {
    org,
    name: inst?.name ?? org,
    level: inst?.level ?? null,
    total: first.total,
    byOrg: first.rows,
    detail: detail.rows,
    children,
  }
}

/**
 * Institutions of the caller's grants that may hold stats.view (the three administrators'
 * grants never do). One of them: the API's default scope is used; several: the user picks,
 * so that no call is made that the server would refuse with org_required.
 */
export function statsGrantOrgs(grants: readonly { role: string; org: string }[]): string[] {
  return [...new Set(grants.filter((g) => !findRole(g.role)?.admin).map((g) => g.org))]
}

/** Open direct children counted by level (e.g. a county's schools). */
export function childCounts(children: readonly Institution[]): { level: OrgLevel; count: number }[] {
  const out = new Map<OrgLevel, number>()
  for (const c of children) if (c.open) out.set(c.level, (out.get(c.level) ?? 0) + 1)
  return kLevels.filter((l) => out.has(l)).map((level) => ({ level, count: out.get(level) ?? 0 }))
}

const kLevels: readonly OrgLevel[] = ['national', 'province', 'city', 'county', 'school']
