// Spreadsheets in the browser with ExcelJS, loaded only when a user picks an .xlsx file or
// asks for the .xlsx template (the library is ~240 KiB gzip: never in the login bundle).
// The "bare" browser build: the same code without the core-js/regenerator polyfills that
// the portal's targets (ES2022 browsers) do not need.
import type { Workbook, CellValue } from 'exceljs'
import type { Table } from './csv'

type ExcelModule = typeof import('exceljs')

let loading: Promise<ExcelModule> | null = null
export function loadExcelJs(): Promise<ExcelModule> {
  loading ??= import('exceljs/dist/exceljs.bare.min.js').then((m) => ((m as { default?: ExcelModule }).default ?? m) as ExcelModule)
  return loading
}

export interface Sheet {
  name: string
  /** Row 1 of the sheet is rows[0]; empty rows are []. */
  rows: Table
  /** (row, column) of numeric cells with 16+ digits: their precision is already lost. */
  longNumbers: { row: number; column: number }[]
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

/** A spreadsheet date as YYYY-MM-DD (ExcelJS gives dates as UTC midnights). */
function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return ''
  const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
  const seconds = d.getUTCHours() * 3600 + d.getUTCMinutes() * 60 + d.getUTCSeconds()
  return seconds === 0 ? day : `${day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
}

function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString()
  return String(n)
}

/** The text of a cell value: what the user sees for text, numbers, dates, formulas' results. */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number') return numberText(value)
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  if (value instanceof Date) return dateText(value)
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('')
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: unknown }).result
      if (result === undefined || result === null) return ''
      if (typeof result === 'object' && result !== null && 'error' in result) return ''
      return cellText(result as CellValue)
    }
    if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : cellText(value.text as CellValue)
    if ('error' in value) return ''
  }
  return String(value)
}

/** Every worksheet with content, as text rows (trailing blank cells and rows trimmed). */
export async function readWorkbook(data: ArrayBuffer): Promise<Sheet[]> {
  const ExcelJS = await loadExcelJs()
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(data)
  const sheets: Sheet[] = []
  wb.eachSheet((ws) => {
    const rows: Table = []
    const longNumbers: Sheet['longNumbers'] = []
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: string[] = []
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        const v = cell.value
        cells[col - 1] = cellText(v)
        if (typeof v === 'number' && Math.abs(v) >= 1e15) longNumbers.push({ row: rowNumber, column: col - 1 })
      })
      for (let i = 0; i < cells.length; ++i) cells[i] ??= ''
      while (cells.length && cells[cells.length - 1]!.trim() === '') cells.pop()
      while (rows.length < rowNumber - 1) rows.push([])
      rows[rowNumber - 1] = cells
    })
    while (rows.length && rows[rows.length - 1]!.length === 0) rows.pop()
    if (rows.length) sheets.push({ name: ws.name, rows, longNumbers })
  })
  return sheets
}

/** Builds a workbook with ExcelJS and returns the .xlsx bytes. */
export async function writeWorkbook(build: (wb: Workbook) => void): Promise<Blob> {
  const ExcelJS = await loadExcelJs()
  const wb = new ExcelJS.Workbook()
  wb.creator = 'NEMIS'
  build(wb)
  const buffer = await wb.xlsx.writeBuffer()
  return new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })
}
