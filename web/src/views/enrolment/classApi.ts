// 新学年分班: the classes of a list of students set at once (POST /api/v1/class-assignments),
// previewed first (dryRun), and the paste format its page accepts.
import type { operations } from '@/api/schema'
import { api } from '@/api/http'

export type ClassAssignmentBody = NonNullable<operations['assignClasses']['requestBody']>['content']['application/json']
export type ClassAssignmentRow = ClassAssignmentBody['students'][number]
export type ClassAssignmentReport = operations['assignClasses']['responses'][200]['content']['application/json']

export async function assignClasses(body: ClassAssignmentBody): Promise<ClassAssignmentReport> {
  return (await api.post('/api/v1/class-assignments', { body })).data
}

/** One student per line: 学籍号 and 班号 separated by tabs, commas (also ，) or spaces. */
export function parseClassRows(text: string): ClassAssignmentRow[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const [studentNumber = '', klass = ''] = line.split(/[\t,，]+|\s+/).map((p) => p.trim())
      return { studentNumber, class: klass }
    })
}
