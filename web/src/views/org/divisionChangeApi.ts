// 行政区划变更 (GB/T 2260): the changes this node holds, newest first, each with when this node
// put it in effect (`appliedAt`, null while scheduled: dated after today in China), whether the
// caller may record one here (only on the national node, over the whole country), and recording
// one (src/api/division_change_routes.cpp); a change dated ahead answers with `appliedAt` null.
// A retirement may send some of its schools to other successors than its own (`schoolSuccessors`,
// a county split between several districts): the dialog reads them from lines of text.
import type { components } from '@/api/schema'
import { api } from '@/api/http'

export type DivisionChange = components['schemas']['DivisionChange']
export type DivisionChangeCreate = components['schemas']['DivisionChangeCreate']
export type DivisionChangeKind = DivisionChange['kind']

export interface DivisionChangeList {
  items: DivisionChange[]
  recordable: boolean
}

export async function listDivisionChanges(limit = 200): Promise<DivisionChangeList> {
  return (await api.get('/api/v1/divisions/changes', { query: { limit } })).data
}

export async function recordDivisionChange(body: DivisionChangeCreate): Promise<DivisionChange> {
  return (await api.post('/api/v1/divisions/changes', { body })).data
}

/**
 * The text of 学校划转 (one school a line: "学校标识码=区划代码", also with a full-width ＝ or a
 * space between; full-width digits read as digits; blank lines skipped) as the body's
 * `schoolSuccessors`; or the first line (counted from 1, blank ones too) that cannot be read:
 * `format` (not two parts), `duplicate` (a school already listed, on line `first`). The codes
 * themselves are the server's to check (`schoolSuccessors.<school>` field errors).
 */
export type SchoolSuccessorsParse =
  | { ok: true; value: Record<string, string> }
  | { ok: false; line: number; problem: 'format' }
  | { ok: false; line: number; problem: 'duplicate'; school: string; first: number }

const kLine = /^([^\s=＝]+)\s*(?:[=＝]|\s)\s*([^\s=＝]+)$/
const halfWidth = (s: string): string => s.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))

export function parseSchoolSuccessors(text: string): SchoolSuccessorsParse {
  const value: Record<string, string> = {}
  const lineOf = new Map<string, number>()
  const lines = text.split(/\r\n|\r|\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = halfWidth((lines[i] ?? '').trim())
    if (!line) continue
    const m = kLine.exec(line)
    if (!m) return { ok: false, line: i + 1, problem: 'format' }
    const school = m[1] ?? ''
    const first = lineOf.get(school)
    if (first !== undefined) return { ok: false, line: i + 1, problem: 'duplicate', school, first }
    lineOf.set(school, i + 1)
    value[school] = m[2] ?? ''
  }
  return { ok: true, value }
}
