// /api/v1/stats/forms: the statistical forms (教基/基础基) and one filled in for an
// institution as of a point in time; downloads go straight to the same URL with format.
import type { components } from './schema'
import { api } from './http'

export type StatsForm = components['schemas']['StatsForm']
export type FormCell = StatsForm['rows'][number]['cells'][number]

export interface FormSummary {
  id: string
  aliases: string[]
  title: string
}

export async function listForms(): Promise<FormSummary[]> {
  return (await api.get('/api/v1/stats/forms')).data.items
}

export interface FormQuery {
  org?: string
  asOf?: string
}

export async function fillForm(id: string, q: FormQuery): Promise<StatsForm> {
  const query: { org?: string; asOf?: string } = {}
  if (q.org) query.org = q.org
  if (q.asOf) query.asOf = q.asOf
  return (await api.get('/api/v1/stats/forms/{form}', { path: { form: id }, query })).data
}

/** The URL of the form as a file (csv or xlsx), for a download link. */
export function formFileUrl(id: string, q: FormQuery, format: 'csv' | 'xlsx'): string {
  const params = new URLSearchParams({ format })
  if (q.org) params.set('org', q.org)
  if (q.asOf) params.set('asOf', q.asOf)
  return `/api/v1/stats/forms/${encodeURIComponent(id)}?${params.toString()}`
}

export interface DrilledCell {
  org: string
  value: FormCell
  children: { org: string; name: string; value: FormCell }[]
}

/** One cell of the form for each child institution of the query's institution. */
export async function drillCell(id: string, q: FormQuery, row: string, column: string): Promise<DrilledCell> {
  const query: { org?: string; asOf?: string; row: string; column: string } = { row, column }
  if (q.org) query.org = q.org
  if (q.asOf) query.asOf = q.asOf
  const data = (await api.get('/api/v1/stats/forms/{form}/cells', { path: { form: id }, query })).data
  return { org: data.org, value: data.value ?? null, children: data.children.map((c) => ({ org: c.org, name: c.name, value: c.value ?? null })) }
}

export type Student = components['schemas']['Student']

/** One page of the students behind a cell (GET …/cells/students). */
export interface CellStudents {
  form: string
  asOf: string
  row: string
  column: string
  /** The cell's value: every student counted in it. */
  total: number
  offset: number
  /** Students of this page now at a school outside the caller's scope, left out. */
  hidden: number
  /** As GET /api/v1/students/{studentNumber} gives them, masked by the server for the caller. */
  items: Student[]
}

/**
 * The students a cell of a students form counts at the query's institution and point in
 * time, `limit` (1–500) from `offset`. Needs student.view over the institution (404
 * otherwise); 422 `cell_not_listable` for class counts, graduates and uncomputed cells.
 */
export async function cellStudents(id: string, q: FormQuery, row: string, column: string, offset = 0, limit = 50): Promise<CellStudents> {
  const query: { org?: string; asOf?: string; row: string; column: string; offset: number; limit: number } = { row, column, offset, limit }
  if (q.org) query.org = q.org
  if (q.asOf) query.asOf = q.asOf
  const data = (await api.get('/api/v1/stats/forms/{form}/cells/students', { path: { form: id }, query })).data
  return { form: data.form, asOf: data.asOf, row: data.row, column: data.column, total: data.total, offset: data.offset, hidden: data.hidden, items: data.items }
}

export interface IndicatorTrend {
  org: string
  points: string[]
  items: { id: string; name: string; unit: string; formula: string; values: (number | null)[] }[]
}

/** The indicators at the last `years` points in time (1 September), oldest first. */
export async function indicatorTrend(org: string | undefined, years = 3): Promise<IndicatorTrend> {
  const query: { org?: string; years: number } = { years }
  if (org) query.org = org
  const data = (await api.get('/api/v1/stats/indicators', { query })).data
  return { org: data.org, points: data.points, items: data.items.map((i) => ({ ...i, values: i.values.map((v) => v ?? null) })) }
}
