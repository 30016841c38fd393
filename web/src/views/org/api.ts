// Institution calls the institution page and its forms need beyond src/api/org.ts: reads
// with the ETag, create, update with If-Match, and the student counts of one institution.
import type { components } from '@/api/schema'
import { api } from '@/api/http'

export type Institution = components['schemas']['Institution']
export type InstitutionCreate = components['schemas']['InstitutionCreate']
export type InstitutionPatch = components['schemas']['InstitutionPatch']
export type StatsResponse = components['schemas']['StatsResponse']

export interface Versioned<T> {
  value: T
  etag: string
}

export async function readOrg(code: string): Promise<Versioned<Institution>> {
  const r = await api.get('/api/v1/orgs/{code}', { path: { code } })
  return { value: r.data, etag: r.headers.get('ETag') ?? `"v${r.data.version}"` }
}

export async function createOrg(body: InstitutionCreate): Promise<Institution> {
  return (await api.post('/api/v1/orgs', { body })).data
}

export async function updateOrg(code: string, body: InstitutionPatch, etag: string): Promise<Institution> {
  return (await api.patch('/api/v1/orgs/{code}', { path: { code }, body, headers: { 'If-Match': etag } })).data
}

/** Current students of one institution grouped by `by` (comma-separated dimensions). */
export async function studentCounts(org: string, by: string): Promise<StatsResponse> {
  return (await api.get('/api/v1/stats/students', { query: { org, by } })).data
}

/** The first page of direct children (up to 500) and whether there are more. */
export async function firstChildren(code: string): Promise<{ items: Institution[]; more: boolean }> {
  const page = (await api.get('/api/v1/orgs/{code}/children', { path: { code }, query: { limit: 500 } })).data
  return { items: page.items, more: page.next !== null }
}
