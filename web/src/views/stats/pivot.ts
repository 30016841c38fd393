// The ad hoc analysis' pivot (pure: no Vue, no i18n): the rows of GET /api/v1/stats/students
// grouped by one or two dimensions, as a rows × columns table with row totals, column totals
// and the grand total, and that table as text cells for the CSV and Excel exports. Every
// count is the server's; the pivot only places and sums them.

/** A dimension's value in a row of the API: an integer, a code string, or null (not filled in). */
export type Key = string | number | null

export interface CountRow {
  count: number
  [dimension: string]: unknown
}

export interface Pivot {
  rowDim: string
  /** null: one dimension only (the table has a single count column). */
  colDim: string | null
  rows: Key[]
  /** Empty when colDim is null. */
  cols: Key[]
  /** cells[r][c]: students with rows[r] and cols[c] (empty rows when colDim is null). */
  cells: number[][]
  rowTotals: number[]
  /** One per column (empty when colDim is null). */
  colTotals: number[]
  total: number
}

function keyOf(v: unknown): Key {
  return typeof v === 'string' || typeof v === 'number' ? v : null
}

/** A key as text, for maps and test ids (a dimension's values are all integers or all strings). */
export function keyId(k: Key): string {
  return k === null ? 'null' : String(k)
}

/** Ascending: numbers by value, strings by code, null (not filled in) last. */
export function compareKeys(a: Key, b: Key): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  const x = String(a)
  const y = String(b)
  return x < y ? -1 : x > y ? 1 : 0
}

function distinct(keys: Iterable<Key>): Key[] {
  const seen = new Map<string, Key>()
  for (const k of keys) if (!seen.has(keyId(k))) seen.set(keyId(k), k)
  return [...seen.values()].sort(compareKeys)
}

/** Places the API's rows (grouped by rowDim, and colDim when given) into a pivot. */
export function buildPivot(rows: readonly CountRow[], rowDim: string, colDim: string | null): Pivot {
  const rowKeys = distinct(rows.map((r) => keyOf(r[rowDim])))
  const colKeys = colDim ? distinct(rows.map((r) => keyOf(r[colDim]))) : []
  const rowIndex = new Map(rowKeys.map((k, i) => [keyId(k), i]))
  const colIndex = new Map(colKeys.map((k, i) => [keyId(k), i]))
  const cells = rowKeys.map(() => colKeys.map(() => 0))
  const rowTotals = rowKeys.map(() => 0)
  const colTotals = colKeys.map(() => 0)
  let total = 0
  for (const r of rows) {
    const i = rowIndex.get(keyId(keyOf(r[rowDim]))) ?? 0
    rowTotals[i] = (rowTotals[i] ?? 0) + r.count
    total += r.count
    if (colDim) {
      const j = colIndex.get(keyId(keyOf(r[colDim]))) ?? 0
      const line = cells[i]
      if (line) line[j] = (line[j] ?? 0) + r.count
      colTotals[j] = (colTotals[j] ?? 0) + r.count
    }
  }
  return { rowDim, colDim, rows: rowKeys, cols: colKeys, cells, rowTotals, colTotals, total }
}

export interface GridTexts {
  /** The header of the label column, e.g. "学校 \ 性别" or "学校". */
  corner: string
  /** The header of the total column and the label of the total row. */
  total: string
  /** The header of the only count column when there is no column dimension. */
  count: string
}

/**
 * The pivot as shown: a header row, one row per row key, the totals row. Labels are the
 * caller's (`label(dim, key)`); counts stay numbers (Excel sums them).
 */
export function pivotGrid(p: Pivot, label: (dim: string, key: Key) => string, texts: GridTexts): (string | number)[][] {
  const { colDim } = p
  if (!colDim) {
    return [
      [texts.corner, texts.count],
      ...p.rows.map((k, i) => [label(p.rowDim, k), p.rowTotals[i] ?? 0]),
      [texts.total, p.total],
    ]
  }
  return [
    [texts.corner, ...p.cols.map((k) => label(colDim, k)), texts.total],
    ...p.rows.map((k, i) => [label(p.rowDim, k), ...(p.cells[i] ?? []), p.rowTotals[i] ?? 0]),
    [texts.total, ...p.colTotals, p.total],
  ]
}

/** RFC 4180 CSV of text and numbers (CRLF; quoted where needed), without the BOM. */
export function toCsv(grid: readonly (readonly (string | number)[])[]): string {
  const field = (v: string | number): string => {
    const s = String(v)
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
  }
  return grid.map((row) => row.map(field).join(',')).join('\r\n') + '\r\n'
}

/**
 * At most `max` series for a chart: the columns with the most students in table order,
 * the rest summed into one "other" series (index -1). All of them when they fit.
 */
export function chartColumns(p: Pivot, max: number): number[] {
  if (p.cols.length <= max) return p.cols.map((_, j) => j)
  const biggest = p.cols
    .map((_, j) => j)
    .sort((a, b) => (p.colTotals[b] ?? 0) - (p.colTotals[a] ?? 0))
    .slice(0, max - 1)
    .sort((a, b) => a - b)
  return [...biggest, -1]
}
