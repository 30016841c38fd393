// A list of students read from a file (.csv or .xlsx, its first sheet), as the lines the
// list pages accept: one row per line, its cells joined by tabs. A first row whose first
// cell is not a student number (a header such as 学籍号) is left out. A number Excel stored
// as a 16+ digit number has lost its last digits: the file is refused, naming the rows.
import { decodeCsv, parseCsv, type Table } from '@/views/import/csv'
import { readWorkbook } from '@/views/import/excel'

const kStudentNumber = /^[GJL]\d/i

export class ListFileError extends Error {}

function linesOf(rows: Table): string {
  const filled = rows.filter((r) => r.some((c) => c.trim() !== ''))
  const body = filled.length && !kStudentNumber.test(filled[0]![0]?.trim() ?? '') ? filled.slice(1) : filled
  return body.map((r) => r.map((c) => c.trim()).join('\t')).join('\n')
}

export async function readListFile(file: File): Promise<string> {
  const data = await file.arrayBuffer()
  if (!/\.xlsx$/i.test(file.name)) return linesOf(parseCsv(decodeCsv(new Uint8Array(data)).text))
  const [sheet] = await readWorkbook(data)
  if (!sheet) return ''
  if (sheet.longNumbers.length)
    throw new ListFileError(sheet.longNumbers.map((n) => n.row).join('、'))
  return linesOf(sheet.rows)
}
