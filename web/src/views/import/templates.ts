// The roster templates offered for download, made in the browser: a .csv (UTF-8 with BOM
// so that Excel shows the Chinese headers) and an .xlsx (ExcelJS) whose identity-number,
// phone and date columns are text cells, plus a notes sheet. Both have the headers the
// server recognises ("*" marks required columns; the server ignores it) and one example
// row whose ID numbers carry a real GB 11643 check digit.
import { kRosterFields, type RosterField } from './fields'
import { writeCsv } from './csv'
import { writeWorkbook } from './excel'
import { makeIdNumber } from './idcard'
import { saveFile } from '@/utils/saveFile'

/** The example student's ID: Futian district (440304), born 2019-07-23, sequence 034 (even: female). */
export const kExampleIdNumber = makeIdNumber('440304', '2019-07-23', '034')
export const kExampleGuardianIdNumber = makeIdNumber('440304', '1985-03-12', '001')

function exampleValue(f: RosterField): string {
  if (f.name === 'idNumber') return kExampleIdNumber
  if (f.name === 'guardian1IdNumber') return kExampleGuardianIdNumber
  return f.example
}

export function templateHeader(f: RosterField): string {
  return (f.required ? '*' : '') + f.chinese
}

export function templateRows(): string[][] {
  return [kRosterFields.map(templateHeader), kRosterFields.map(exampleValue)]
}

export const kTemplateName = '学生花名册导入模板'

export function downloadCsvTemplate(): void {
  const body = '\uFEFF' + writeCsv(templateRows())
  saveFile(new Blob([body], { type: 'text/csv;charset=utf-8' }), kTemplateName + '.csv')
}

export async function downloadXlsxTemplate(): Promise<void> {
  const blob = await writeWorkbook((wb) => {
    const ws = wb.addWorksheet('花名册', { views: [{ state: 'frozen', ySplit: 1 }] })
    ws.columns = kRosterFields.map((f) => ({
      header: templateHeader(f),
      key: f.name,
      width: Math.max(10, f.chinese.length * 2 + 4, f.idLike ? 22 : 0, f.name === 'address' ? 30 : 0),
      // Text cells: an 18-digit number typed into a General cell loses its last digits.
      style: f.idLike || f.date ? { numFmt: '@' } : {},
    }))
    const header = ws.getRow(1)
    header.font = { bold: true }
    header.alignment = { vertical: 'middle', horizontal: 'center' }
    kRosterFields.forEach((f, i) => {
      const cell = header.getCell(i + 1)
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: f.required ? 'FFFDE2E2' : 'FFEFF3F8' } }
      if (f.required) cell.font = { bold: true, color: { argb: 'FFC0392B' } }
      if (f.hint) cell.note = f.hint
    })
    ws.addRow(kRosterFields.map(exampleValue))

    const notes = wb.addWorksheet('填写说明')
    notes.columns = [
      { header: '列名', key: 'column', width: 20 },
      { header: '必填', key: 'required', width: 8 },
      { header: '说明', key: 'hint', width: 70 },
    ]
    notes.getRow(1).font = { bold: true }
    notes.addRow({ column: '（全部）', required: '', hint: '“花名册”工作表第 1 行为列名（可调整顺序、删除不用的非必填列），第 2 行为示例，导入前请删除示例行。标 * 的列为必填。' })
    notes.addRow({ column: '（全部）', required: '', hint: '代码类字段可填代码或名称（如 性别 填 女 或 2）。身份证件号、电话、日期列已设为文本格式，请勿改为数字格式。' })
    for (const f of kRosterFields) notes.addRow({ column: f.chinese, required: f.required ? '是' : '', hint: f.hint })
  })
  saveFile(blob, kTemplateName + '.xlsx')
}
