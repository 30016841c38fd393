// /api/v1/students: listing a school's students or searching the caller's scope.
import type { components, operations } from './schema'
import { api } from './http'
import type { Page } from '@/composables/useKeysetPager'

export type Student = components['schemas']['Student']
export type StudentQuery = NonNullable<operations['listStudents']['parameters']['query']>

export async function listStudents(query: StudentQuery): Promise<Page<Student>> {
  return (await api.get('/api/v1/students', { query })).data
}

export async function getStudent(studentNumber: string): Promise<Student> {
  return (await api.get('/api/v1/students/{studentNumber}', { path: { studentNumber } })).data
}
