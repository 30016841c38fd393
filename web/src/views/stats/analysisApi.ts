// The ad hoc analysis' query: what the page's URL holds (so that a link reproduces the
// analysis), the filter's text form (the API's own syntax, `dim=v1|v2;dim!=v`), the call to
// GET /api/v1/stats/students with by/status/filter/asOf/measures (and, for a measure whose
// totals are not sums of the cells, the same query by the row and by the column dimension
// alone), and the institution names (the org routes, a courtesy when the caller holds
// org.view).
import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import { api } from '@/api/http'
import type { StatsResponse } from '@/api/stats'
import { getOrg, childrenOf } from '@/api/org'
import type { components } from '@/api/schema'
import { apiMeasures, isAdditive, isMeasure, type Measure } from './pivot'

export type Status = 'current' | 'all'

export interface AnalysisQuery {
  /** '' = the caller's scope (the server picks the single grant's root). */
  org: string
  rows: string
  /** '' = no column dimension. */
  cols: string
  status: Status
  /** '' = now; else a past day YYYY-MM-DD. */
  asOf: string
  /** The API's filter text; '' = none. */
  filter: string
  /** What the cells count (students by default). */
  measure: Measure
}

export const kDefaultQuery: AnalysisQuery = {
  org: '', rows: 'grade', cols: 'gender', status: 'current', asOf: '', filter: '', measure: 'students',
}

function one(v: LocationQuery[string] | undefined): string {
  const s = Array.isArray(v) ? v[0] : v
  return typeof s === 'string' ? s.trim() : ''
}

/** The query a page URL holds, defaults for what it lacks. */
export function fromRoute(q: LocationQuery): AnalysisQuery {
  const hasRows = one(q.rows) !== ''
  return {
    org: one(q.org),
    rows: hasRows ? one(q.rows) : kDefaultQuery.rows,
    // A link that names its rows but no columns means no columns.
    cols: hasRows ? one(q.cols) : 'cols' in q ? one(q.cols) : kDefaultQuery.cols,
    status: one(q.status) === 'all' ? 'all' : 'current',
    asOf: one(q.asOf),
    filter: one(q.filter),
    measure: isMeasure(one(q.measure)) ? (one(q.measure) as Measure) : 'students',
  }
}

/** The URL query of `q` (empty parts left out). */
export function toRoute(q: AnalysisQuery): LocationQueryRaw {
  const out: LocationQueryRaw = { rows: q.rows, cols: q.cols }
  if (q.org) out.org = q.org
  if (q.status !== 'current') out.status = q.status
  if (q.asOf) out.asOf = q.asOf
  if (q.filter) out.filter = q.filter
  if (q.measure !== 'students') out.measure = q.measure
  return out
}

export function sameQuery(a: AnalysisQuery, b: AnalysisQuery): boolean {
  return (Object.keys(a) as (keyof AnalysisQuery)[]).every((k) => a[k] === b[k])
}

/** One condition of a filter: `dim` is (or, negated, is not) one of `values`. */
export interface Condition {
  dim: string
  negate: boolean
  values: string[]
}

/** The API's filter text of the complete conditions (a dimension and at least one value). */
export function formatFilter(conditions: readonly Condition[]): string {
  return conditions
    .filter((c) => c.dim && c.values.length)
    .map((c) => `${c.dim}${c.negate ? '!=' : '='}${c.values.join('|')}`)
    .join(';')
}

/**
 * The conditions of a filter text, or null when it does not read as `dim=v|v;dim!=v` (the
 * server then says which part is wrong: 400 bad_filter).
 */
export function parseFilter(text: string): Condition[] | null {
  if (!text) return []
  const out: Condition[] = []
  for (const part of text.split(';')) {
    const m = /^([A-Za-z]+)(!?)=(.+)$/.exec(part)
    if (!m) return null
    const values = (m[3] ?? '').split('|')
    if (values.some((v) => v === '')) return null
    out.push({ dim: m[1] ?? '', negate: m[2] === '!', values })
  }
  return out
}

/** The answer to a query: its groups, and the exact row and column totals when needed. */
export interface AnalysisAnswer {
  /** Grouped by rows (and columns); `total`, `classes`, `schools` at the top level are the grand totals. */
  main: StatsResponse
  /** Grouped by the row dimension alone: the row totals of a measure that does not add up (with columns). */
  byRow: StatsResponse | null
  /** Grouped by the column dimension alone: its column totals. */
  byCol: StatsResponse | null
}

/** GET /api/v1/stats/students of `q` grouped by `by`. */
async function countsBy(q: AnalysisQuery, by: string): Promise<StatsResponse> {
  const query: { by: string; status: Status; org?: string; filter?: string; asOf?: string; measures?: string } = { by, status: q.status }
  if (q.org) query.org = q.org
  if (q.filter) query.filter = q.filter
  if (q.asOf) query.asOf = q.asOf
  const measures = apiMeasures(q.measure)
  if (measures) query.measures = measures
  return (await api.get('/api/v1/stats/students', { query })).data
}

/**
 * The figures of `q` (rows, and columns when given, as `by`). Classes and schools are not
 * sums of the cells (a class of boys and girls is in both gender columns): with columns,
 * the same query by the rows alone and by the columns alone gives their exact totals.
 */
export async function runAnalysis(q: AnalysisQuery): Promise<AnalysisAnswer> {
  const margins = q.cols !== '' && !isAdditive(q.measure)
  const [main, byRow, byCol] = await Promise.all([
    countsBy(q, q.cols ? `${q.rows},${q.cols}` : q.rows),
    margins ? countsBy(q, q.rows) : null,
    margins ? countsBy(q, q.cols) : null,
  ])
  return { main, byRow, byCol }
}

type Institution = components['schemas']['Institution']
type OrgLevel = components['schemas']['OrgLevel']

/** Institutions of `level` within `root` (follows `next`, at most `max`). */
export async function institutionsWithin(root: string, level: OrgLevel, max = 5000): Promise<Institution[]> {
  const out: Institution[] = []
  let after: string | undefined
  do {
    const query: { within: string; level: OrgLevel; limit: number; after?: string } = { within: root, level, limit: 500 }
    if (after) query.after = after
    const page = (await api.get('/api/v1/orgs', { query })).data
    out.push(...page.items)
    after = page.next ?? undefined
  } while (after && out.length < max)
  return out
}

/**
 * Names of the institution codes `codes` (of the dimensions `dims`, within `root`) that
 * `known` lacks: the root's children for `org`, a listing within the root for many schools
 * or counties, else one by one. Failures only leave codes unnamed.
 */
export async function nameInstitutions(
  root: string, dims: readonly string[], codes: readonly string[], known: Readonly<Record<string, string>>,
): Promise<Record<string, string>> {
  const found: Record<string, string> = {}
  const add = (list: readonly Institution[]) => list.forEach((i) => (found[i.code] = i.name))
  const missing = () => codes.filter((c) => !(c in known) && !(c in found))
  if (!(root in known)) await getOrg(root).then((i) => add([i]), () => {})
  if (dims.includes('org') && missing().length) add(await childrenOf(root).catch(() => []))
  for (const level of ['school', 'county'] as const) {
    if (dims.includes(level) && missing().length > 30) add(await institutionsWithin(root, level).catch(() => []))
  }
  const rest = missing().slice(0, 60)
  for (let i = 0; i < rest.length; i += 6) {
    const got = await Promise.all(rest.slice(i, i + 6).map((c) => getOrg(c).catch(() => null)))
    add(got.filter((x): x is Institution => x !== null))
  }
  return found
}
