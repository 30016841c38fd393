// /api/v1/stats/students: student counts within an institution, grouped by dimensions.
import type { components } from './schema'
import { api } from './http'

export type StatsResponse = components['schemas']['StatsResponse']

export async function countStudents(org: string | undefined, by: string): Promise<StatsResponse> {
  const query: { by: string; org?: string } = { by }
  if (org) query.org = org
  return (await api.get('/api/v1/stats/students', { query })).data
}
