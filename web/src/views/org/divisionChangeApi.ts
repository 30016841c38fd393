// 行政区划变更 (GB/T 2260): the changes this node holds, newest first, each with when this node
// put it in effect (`appliedAt`, null while scheduled: dated after today in China), whether the
// caller may record one here (only on the national node, over the whole country), and recording
// one (src/api/division_change_routes.cpp); a change dated ahead answers with `appliedAt` null.
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
