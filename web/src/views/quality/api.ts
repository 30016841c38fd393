// Record-quality findings (问题学籍): the open findings per kind rolled up per child
// institution (GET /api/v1/problem-records/summary) and a page of findings
// (GET /api/v1/problem-records), both within the caller's student.view scope.
import type { components, operations } from '@/api/schema'
import { api } from '@/api/http'
import type { Page } from '@/composables/useKeysetPager'

export type ProblemKind = components['schemas']['ProblemKind']
export type ProblemKindCounts = components['schemas']['ProblemKindCounts']
export type ProblemSummary = components['schemas']['ProblemSummary']
export type ProblemRecord = components['schemas']['ProblemRecord']
export type ProblemSide = components['schemas']['ProblemSide']
export type ProblemQuery = NonNullable<operations['listProblemRecords']['parameters']['query']>
export type ProblemState = NonNullable<ProblemQuery['state']>

/** `org` undefined asks for the caller's single scope (400 missing_parameter with several). */
export async function problemSummary(org: string | undefined): Promise<ProblemSummary> {
  const query: { org?: string } = {}
  if (org) query.org = org
  return (await api.get('/api/v1/problem-records/summary', { query })).data
}

export async function listProblems(query: ProblemQuery): Promise<Page<ProblemRecord>> {
  return (await api.get('/api/v1/problem-records', { query })).data
}
