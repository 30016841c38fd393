// Student calls the registration, detail and edit pages need beyond src/api/student.ts:
// reads with the ETag, registration with an Idempotency-Key, correction with If-Match,
// and the school picker's search (schools only).
import type { components } from '@/api/schema'
import { api } from '@/api/http'

export type Student = components['schemas']['Student']
export type StudentCreate = components['schemas']['StudentCreate']
export type StudentPatch = components['schemas']['StudentPatch']
export type Institution = components['schemas']['Institution']

export interface Versioned<T> {
  value: T
  /** The record's ETag (`"v3"`), sent back as If-Match. */
  etag: string
}

function etagOf(headers: Headers, version: number): string {
  return headers.get('ETag') ?? `"v${version}"`
}

export async function readStudent(studentNumber: string): Promise<Versioned<Student>> {
  const r = await api.get('/api/v1/students/{studentNumber}', { path: { studentNumber } })
  return { value: r.data, etag: etagOf(r.headers, r.data.version) }
}

export async function registerStudent(body: StudentCreate, idempotencyKey: string): Promise<Student> {
  return (await api.post('/api/v1/students', { body, headers: { 'Idempotency-Key': idempotencyKey } })).data
}

export async function correctStudent(studentNumber: string, body: StudentPatch, etag: string): Promise<Versioned<Student>> {
  const r = await api.patch('/api/v1/students/{studentNumber}', { path: { studentNumber }, body, headers: { 'If-Match': etag } })
  return { value: r.data, etag: etagOf(r.headers, r.data.version) }
}

export async function searchSchools(q: string, limit = 20): Promise<Institution[]> {
  const query: { level: 'school'; limit: number; q?: string } = { level: 'school', limit }
  if (q.trim()) query.q = q.trim()
  return (await api.get('/api/v1/orgs', { query })).data.items
}

export async function schoolOf(code: string): Promise<Institution> {
  return (await api.get('/api/v1/orgs/{code}', { path: { code } })).data
}
