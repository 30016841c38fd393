// Institution calls the institution page and its forms need beyond src/api/org.ts: reads
// with the ETag, create, update with If-Match, and the student counts of one institution.
import type { components } from '@/api/schema'
import { api } from '@/api/http'

export type Institution = components['schemas']['Institution']
export type InstitutionCreate = components['schemas']['InstitutionCreate']
export type InstitutionPatch = components['schemas']['InstitutionPatch']
export type StatsResponse = components['schemas']['StatsResponse']

export interface Versioned<T> {
  value: T
  etag: string
}

export async function readOrg(code: string): Promise<Versioned<Institution>> {
  const r = await api.get('/api/v1/orgs/{code}', { path: { code } })
  return { value: r.data, etag: r.headers.get('ETag') ?? `"v${r.data.version}"` }
}

export async function createOrg(body: InstitutionCreate): Promise<Institution> {
  return (await api.post('/api/v1/orgs', { body })).data
}

export async function updateOrg(code: string, body: InstitutionPatch, etag: string): Promise<Institution> {
  return (await api.patch('/api/v1/orgs/{code}', { path: { code }, body, headers: { 'If-Match': etag } })).data
}

/** Current students of one institution grouped by `by` (comma-separated dimensions). */
export async function studentCounts(org: string, by: string): Promise<StatsResponse> {
  return (await api.get('/api/v1/stats/students', { query: { org, by } })).data
}

/** The first page of direct children (up to 500) and whether there are more. */
export async function firstChildren(code: string): Promise<{ items: Institution[]; more: boolean }> {
  const page = (await api.get('/api/v1/orgs/{code}/children', { path: { code }, query: { limit: 500 } })).data
  return { items: page.items, more: page.next !== null }
}

/** 学校划转 (POST /api/v1/orgs/{code}/move with If-Match): the school's new record and ETag. */
export async function moveSchool(code: string, parentCode: string, etag: string): Promise<Versioned<Institution>> {
  const r = await api.post('/api/v1/orgs/{code}/move', { path: { code }, body: { parentCode }, headers: { 'If-Match': etag } })
  return { value: r.data, etag: r.headers.get('ETag') ?? `"v${r.data.version}"` }
}

type Level = components['schemas']['OrgLevel']

/** The institutions of `level` in the caller's scope, or within `root` (follows `next`). */
async function allOfLevel(level: Level, root: string | undefined, max = 5000): Promise<Institution[]> {
  const out: Institution[] = []
  let after: string | undefined
  do {
    const query: { level: Level; limit: number; within?: string; after?: string } = { level, limit: 500 }
    if (root) query.within = root
    if (after) query.after = after
    const page = (await api.get('/api/v1/orgs', { query })).data
    out.push(...page.items)
    after = page.next ?? undefined
  } while (after && out.length < max)
  return out
}

/** One prefecture of the province and where a school may go in it. */
export interface ParentGroup {
  code: string
  /** The prefecture's name (its code when it lies outside the caller's scope). */
  name: string
  /** Its open counties; a prefecture-level city without counties: the city itself. */
  parents: Institution[]
}

/**
 * Where a school of `province` may move, as far as the caller sees (GET /api/v1/orgs with
 * level=county and level=city): the open counties and the open prefecture-level cities
 * without counties, by prefecture, in code order. `whole`: the caller's scope holds the
 * whole province (searched within it); else the caller's scope is searched and narrowed to
 * the province. The server decides what is allowed (org.update over both ends).
 */
export async function schoolParents(province: string, whole: boolean): Promise<ParentGroup[]> {
  const root = whole ? province : undefined
  const [cities, counties] = await Promise.all([allOfLevel('city', root), allOfLevel('county', root)])
  const mine = (o: Institution) => o.provinceCode === province
  const groups = new Map<string, ParentGroup>()
  const group = (code: string, name: string) => {
    let g = groups.get(code)
    if (!g) groups.set(code, (g = { code, name, parents: [] }))
    return g
  }
  for (const c of cities.filter(mine)) group(c.code, c.name)
  const withCounties = new Set<string>()
  for (const c of counties.filter(mine)) {
    const city = c.cityCode ?? c.parentCode ?? ''
    withCounties.add(city)
    if (c.open) group(city, groups.get(city)?.name ?? city).parents.push(c)
  }
  for (const c of cities.filter(mine)) {
    if (!withCounties.has(c.code) && c.open) group(c.code, c.name).parents.push(c)
  }
  return [...groups.values()]
    .filter((g) => g.parents.length > 0)
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((g) => ({ ...g, parents: g.parents.sort((a, b) => a.code.localeCompare(b.code)) }))
}
