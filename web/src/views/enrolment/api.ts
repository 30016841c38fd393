// 升学录取: a school of the next stage enrols graduates of the stage below in bulk
// (POST /api/v1/next-stage-enrolments), and the paste format its page accepts.
import type { operations } from '@/api/schema'
import { api } from '@/api/http'

export type NextStageBody = NonNullable<operations['enrolNextStage']['requestBody']>['content']['application/json']
export type NextStageRow = NextStageBody['students'][number]

export async function enrolNextStage(body: NextStageBody): Promise<number> {
  return (await api.post('/api/v1/next-stage-enrolments', { body })).data.enrolled
}

/**
 * Rows pasted from a spreadsheet or typed: one student per line, 学籍号, 姓名 and 班号
 * separated by tabs, commas (also ，) or spaces; blank lines are skipped. A line with
 * fewer parts keeps the missing ones empty, for the server to name.
 */
export function parseRows(text: string): NextStageRow[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const [studentNumber = '', name = '', klass = ''] = line.split(/[\t,，]+|\s+/).map((p) => p.trim())
      return { studentNumber, name, class: klass }
    })
}

/** The server's row errors ("students[3].name") by row index, for the preview table. */
export function rowErrors(fields: { field: string; message: string }[]): Map<number, string[]> {
  const out = new Map<number, string[]>()
  for (const f of fields) {
    const m = /^students\[(\d+)\]/.exec(f.field)
    if (!m) continue
    const i = Number(m[1])
    out.set(i, [...(out.get(i) ?? []), f.message])
  }
  return out
}
