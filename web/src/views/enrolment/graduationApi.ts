// 毕业: a school graduates its final grades for the year, or previews it
// (POST /api/v1/graduations); 高中 goes to the city as a case.
import type { components, operations } from '@/api/schema'
import { api } from '@/api/http'

export type GraduationBody = NonNullable<operations['graduateSchool']['requestBody']>['content']['application/json']
export type GraduationOutcome = components['schemas']['GraduationOutcome']

export async function graduate(body: GraduationBody): Promise<GraduationOutcome> {
  return (await api.post('/api/v1/graduations', { body })).data as GraduationOutcome
}
