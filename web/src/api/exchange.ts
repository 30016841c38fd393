// /api/v1/exchange/conflicts: the one-person-one-number conflicts on the national node, for the
// ministry's registry office, and its decision on one (src/api/conflict_decision_routes.cpp).
import type { operations } from './schema'
import { api } from './http'

export type ConflictsQuery = NonNullable<operations['listConflictsForMinistry']['parameters']['query']>
export type NationalConflict =
  operations['listConflictsForMinistry']['responses']['200']['content']['application/json']['items'][number]
export type ConflictSide = NationalConflict['incoming']

export async function listNationalConflicts(query: ConflictsQuery): Promise<NationalConflict[]> {
  return (await api.get('/api/v1/exchange/conflicts', { query })).data.items
}

export async function decideConflict(id: number, winner: string, reason: string): Promise<void> {
  await api.post('/api/v1/exchange/conflicts/{id}/decision', { path: { id }, body: { winner, reason } })
}
