// Record-quality findings (问题学籍): the open findings per kind rolled up per child
// institution (GET /api/v1/problem-records/summary) and a page of findings
// (GET /api/v1/problem-records), both within the caller's student.view scope; a person's
// decision on one finding (POST /api/v1/problem-records/{id}/decision, with If-Match), and
// the request to merge a duplicate registration (POST …/{id}/merge: a merge case).
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
export type MergeBody = operations['mergeProblemRecord']['requestBody']['content']['application/json']
export type MergeSide = MergeBody['keep']
export type MergeCase = operations['mergeProblemRecord']['responses'][202]['content']['application/json']

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
 * Whether a one-student finding of `kind` takes 佐证 (evidence): all but an overdue case, which
 * ends with its case. Pairs are reviewed side by side (DuplicateReviewDialog). Who may decide
 * is the server's to say (403).
 */
export function takesEvidence(kind: ProblemKind): boolean {
  return kind !== 'overdue_case'
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

/** Asks to merge `record` as read (If-Match: its version): 202 with the merge case opened. */
export async function mergeProblem(record: Pick<ProblemRecord, 'id' | 'version'>, body: MergeBody): Promise<MergeCase> {
  return (
    await api.post('/api/v1/problem-records/{id}/merge', {
      path: { id: record.id },
      body,
      headers: { 'If-Match': `"v${record.version}"` },
    })
  ).data
}
