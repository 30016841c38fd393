// Record-quality findings (问题学籍): the open findings per kind rolled up per child
// institution (GET /api/v1/problem-records/summary) and a page of findings
// (GET /api/v1/problem-records), both within the caller's student.view scope; a person's
// decision on one finding (POST /api/v1/problem-records/{id}/decision, with If-Match).
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
export type ProblemDecisionBody = operations['decideProblemRecord']['requestBody']['content']['application/json']
export type ProblemDecision = ProblemDecisionBody['decision']
export type ProblemDecided = operations['decideProblemRecord']['responses'][200]['content']['application/json']

/** `org` undefined asks for the caller's single scope (400 missing_parameter with several). */
export async function problemSummary(org: string | undefined): Promise<ProblemSummary> {
  const query: { org?: string } = {}
  if (org) query.org = org
  return (await api.get('/api/v1/problem-records/summary', { query })).data
}

export async function listProblems(query: ProblemQuery): Promise<Page<ProblemRecord>> {
  return (await api.get('/api/v1/problem-records', { query })).data
}

/**
 * The decision a finding of `kind` takes, if any (`pair`: the summary's word on whether the
 * kind concerns two students): 不是重复 for a pair but one ID number twice (that takes a
 * correction), 佐证 for one student but an overdue case (it ends with its case). Who may
 * take it is the server's to say (403).
 */
export function decisionOf(kind: ProblemKind, pair: boolean): ProblemDecision | null {
  if (pair) return kind === 'same_id_number' ? null : 'not_duplicate'
  return kind === 'overdue_case' ? null : 'evidence'
}

/** Decides `record` as read (If-Match: its version); 409 when it changed meanwhile. */
export async function decideProblem(record: Pick<ProblemRecord, 'id' | 'version'>, body: ProblemDecisionBody): Promise<ProblemDecided> {
  return (
    await api.post('/api/v1/problem-records/{id}/decision', {
      path: { id: record.id },
      body,
      headers: { 'If-Match': `"v${record.version}"` },
    })
  ).data
}
