// The ad hoc analysis' pivot as a file, made in the browser from the table as shown: CSV
// (UTF-8 with a BOM, so that Excel on a Chinese Windows reads the labels) or an .xlsx
// workbook (ExcelJS, loaded only when asked for) with the query on a second sheet. Figures
// keep the measure's decimals (a class size has one).
import { writeWorkbook } from '@/views/import/excel'
import { toCsv } from './pivot'
import { saveFile } from '@/utils/saveFile'

export type Grid = (string | number)[][]

/** A file name without the characters Windows refuses. */
export function fileName(base: string, ext: string): string {
  return `${base.replace(/[\\/:*?"<>|\s]+/g, '_')}.${ext}`
}

export function downloadCsv(grid: Grid, base: string, decimals = 0): void {
  saveFile(new Blob(['\uFEFF' + toCsv(grid, decimals)], { type: 'text/csv;charset=utf-8' }), fileName(base, 'csv'))
}

export async function downloadXlsx(
  grid: Grid, about: [string, string][], sheets: { pivot: string; query: string }, base: string, decimals = 0,
): Promise<void> {
  const blob = await writeWorkbook((wb) => {
    const ws = wb.addWorksheet(sheets.pivot, { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] })
    for (const row of grid) ws.addRow(row)
    const last = grid.length
    ws.getRow(1).font = { bold: true }
    ws.getRow(last).font = { bold: true }
    ws.getColumn(1).font = { bold: true }
    ws.getColumn(1).width = Math.min(40, Math.max(12, ...grid.map((r) => String(r[0] ?? '').length * 2 + 2)))
    for (let c = 2; c <= (grid[0]?.length ?? 1); ++c) {
      ws.getColumn(c).width = Math.min(30, Math.max(10, String(grid[0]?.[c - 1] ?? '').length * 2 + 2))
      ws.getColumn(c).numFmt = decimals > 0 ? `#,##0.${'0'.repeat(decimals)}` : '#,##0'
    }
    const q = wb.addWorksheet(sheets.query)
    q.columns = [{ width: 16 }, { width: 60 }]
    for (const line of about) q.addRow(line)
    q.getColumn(1).font = { bold: true }
  })
  saveFile(blob, fileName(base, 'xlsx'))
}
