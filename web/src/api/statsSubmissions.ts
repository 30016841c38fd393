// /api/v1/stats/submissions: the annual statistics submissions (统计上报) and their review up
// the levels — the progress of a subtree, one unit's submission (or the draft it would
// submit now) with what the caller may do, and the actions, each signed by the server with
// the acting person's key. The signed document is downloaded straight from its URL.
import type { components } from './schema'
import { api } from './http'

export type SubmissionProgress = components['schemas']['StatsSubmissionProgress']
export type SubmissionUnit = components['schemas']['StatsSubmissionUnit']
export type SubmissionLevel = SubmissionProgress['levels'][number]
/** A unit's submission; its snapshot's forms are the form JSON of /stats/forms/{form}. */
export type SubmissionDetail = components['schemas']['StatsSubmissionDetail']
export type SubmissionFinding = SubmissionDetail['findings'][number]
export type SubmissionSignature = SubmissionDetail['signatures'][number]
export type UnitState = SubmissionUnit['state']
export type SubmissionAction = SubmissionDetail['allowed'][number]
export interface SigningKey {
  publicKey: string
  fingerprint: string
}

/** The school year of the last 1 September (Beijing): the default of the year picker. */
export function lastPointYear(today: string): number {
  const year = Number(today.slice(0, 4))
  return today.slice(5) >= '09-01' ? year : year - 1
}

export async function submissionProgress(year: number, org?: string): Promise<SubmissionProgress> {
  const query: { year: number; org?: string } = { year }
  if (org) query.org = org
  return (await api.get('/api/v1/stats/submissions', { query })).data
}

export async function submissionDetail(year: number, org: string): Promise<SubmissionDetail> {
  return (await api.get('/api/v1/stats/submissions/{year}/{org}', { path: { year, org } })).data
}

/** Submits the unit's statistics with an explanation of each warning. */
export async function submitStats(year: number, org: string, explanations: Record<string, string>): Promise<SubmissionDetail> {
  return (await api.post('/api/v1/stats/submissions/{year}/{org}/submit', { path: { year, org }, body: { explanations } })).data
}

export async function approveStats(year: number, org: string, version: number): Promise<SubmissionDetail> {
  return (await api.post('/api/v1/stats/submissions/{year}/{org}/approve', { path: { year, org }, body: { version } })).data
}

export async function returnStats(year: number, org: string, version: number, reason: string): Promise<SubmissionDetail> {
  return (await api.post('/api/v1/stats/submissions/{year}/{org}/return', { path: { year, org }, body: { version, reason } })).data
}

export async function withdrawStats(year: number, org: string, version: number): Promise<SubmissionDetail> {
  return (await api.post('/api/v1/stats/submissions/{year}/{org}/withdraw', { path: { year, org }, body: { version } })).data
}

export async function signingKey(): Promise<SigningKey> {
  return (await api.get('/api/v1/stats/signing-key')).data
}

/** The URL of the unit's signed submission (a JSON attachment), for a download link. */
export function signedFileUrl(year: number, org: string): string {
  return `/api/v1/stats/submissions/${year}/${encodeURIComponent(org)}/signed`
}
