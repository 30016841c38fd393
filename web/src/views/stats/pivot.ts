// The ad hoc analysis' pivot (pure: no Vue, no i18n): the rows of GET /api/v1/stats/students
// grouped by one or two dimensions, as a rows × columns table with row totals, column totals
// and the grand total of a measure, and that table as text cells for the CSV and Excel
// exports. Every figure is the server's. Students add up, so their totals are sums of the
// cells; classes and schools do not (a class of boys and girls is in both gender columns),
// so their totals are the server's own: the top level of the answer for the grand total,
// and the same query grouped by the row dimension alone and by the column dimension alone
// for the row and column totals. The average class size is students ÷ classes of the same
// cell or total, to one decimal.

/** A dimension's value in a row of the API: an integer, a code string, or null (not filled in). */
export type Key = string | number | null

/** What a cell counts: students (the API's count), classes, schools with students, students per class. */
export type Measure = 'students' | 'classes' | 'schools' | 'classSize'

/** In the order the page offers them. */
export const kMeasures: readonly Measure[] = ['students', 'classes', 'schools', 'classSize']

export function isMeasure(s: string): s is Measure {
  return (kMeasures as readonly string[]).includes(s)
}

/** The API's `measures` a measure asks for; undefined for students (the API's default). */
export function apiMeasures(m: Measure): string | undefined {
  if (m === 'classes') return 'classes'
  if (m === 'schools') return 'schools'
  if (m === 'classSize') return 'students,classes'
  return undefined
}

/** Whether the totals of `m` are sums of the cells (students only). */
export function isAdditive(m: Measure): boolean {
  return m === 'students'
}

/** Decimals a measure is shown and exported with. */
export function measureDecimals(m: Measure): number {
  return m === 'classSize' ? 1 : 0
}

/** A group's figures as the API gives them (a row, or the answer's top level). */
export interface Figures {
  /** Students. */
  count: number
  /** Classes, when asked for (measures=classes). */
  classes?: number
  /** Schools, when asked for (measures=schools). */
  schools?: number
}

export interface CountRow extends Figures {
  [dimension: string]: unknown
}

/** Students per class to one decimal (half up); null without classes. */
export function classSize(students: number, classes: number): number | null {
  // students * 10 / classes is exact when it ends in .5, so Math.round rounds the quotient half up.
  return classes > 0 ? Math.round((students * 10) / classes) / 10 : null
}

/**
 * The value of `m` for a group's figures: students, classes, schools, or students ÷ classes.
 * null when the figures lack what the measure needs (or, for the class size, there is no class).
 */
export function measureValue(m: Measure, f: Figures): number | null {
  if (m === 'students') return f.count
  if (m === 'classes') return f.classes ?? null
  if (m === 'schools') return f.schools ?? null
  return f.classes === undefined ? null : classSize(f.count, f.classes)
}

const kNone: Figures = { count: 0, classes: 0, schools: 0 }

export interface Pivot {
  rowDim: string
  /** null: one dimension only (the table has a single value column). */
  colDim: string | null
  measure: Measure
  rows: Key[]
  /** Empty when colDim is null. */
  cols: Key[]
  /** cells[r][c]: the measure of rows[r] and cols[c] (empty rows when colDim is null); null: none (—). */
  cells: (number | null)[][]
  rowTotals: (number | null)[]
  /** One per column (empty when colDim is null). */
  colTotals: (number | null)[]
  total: number | null
  /** Students in all (0: nothing to show). */
  students: number
}

/** The exact totals of a measure that does not add up (see the file's comment). */
export interface Margins {
  /** The answer's top level: total (as count), classes, schools. */
  total?: Figures
  /** The same query grouped by the row dimension alone (needed with columns). */
  byRow?: readonly CountRow[] | null
  /** The same query grouped by the column dimension alone. */
  byCol?: readonly CountRow[] | null
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

function add(a: Figures, b: Figures): Figures {
  return {
    count: a.count + b.count,
    classes: a.classes === undefined || b.classes === undefined ? undefined : a.classes + b.classes,
    schools: a.schools === undefined || b.schools === undefined ? undefined : a.schools + b.schools,
  }
}

function figuresOf(r: CountRow): Figures {
  return { count: r.count, classes: r.classes, schools: r.schools }
}

/** A grouping's figures by the key of `dim`, or null when not given. */
function byKey(rows: readonly CountRow[] | null | undefined, dim: string): Map<string, Figures> | null {
  if (!rows) return null
  return new Map(rows.map((r) => [keyId(keyOf(r[dim])), figuresOf(r)]))
}

/**
 * Places the API's rows (grouped by rowDim, and colDim when given) into a pivot of `measure`.
 * Students' totals are sums; other measures take theirs from `margins` (null where missing:
 * never a sum of cells that may count a class or school twice).
 */
export function buildPivot(
  rows: readonly CountRow[], rowDim: string, colDim: string | null, measure: Measure = 'students', margins: Margins = {},
): Pivot {
  const rowKeys = distinct(rows.map((r) => keyOf(r[rowDim])))
  const colKeys = colDim ? distinct(rows.map((r) => keyOf(r[colDim]))) : []
  const rowIndex = new Map(rowKeys.map((k, i) => [keyId(k), i]))
  const colIndex = new Map(colKeys.map((k, i) => [keyId(k), i]))
  // Each row × column is one row of the API; summed all the same (no group is lost).
  const cells: Figures[][] = rowKeys.map(() => colKeys.map(() => kNone))
  const rowSums: Figures[] = rowKeys.map(() => kNone)
  const colSums: Figures[] = colKeys.map(() => kNone)
  let sum: Figures = kNone
  for (const r of rows) {
    const f = figuresOf(r)
    const i = rowIndex.get(keyId(keyOf(r[rowDim]))) ?? 0
    rowSums[i] = add(rowSums[i] ?? kNone, f)
    sum = add(sum, f)
    if (colDim) {
      const j = colIndex.get(keyId(keyOf(r[colDim]))) ?? 0
      const line = cells[i]
      if (line) line[j] = add(line[j] ?? kNone, f)
      colSums[j] = add(colSums[j] ?? kNone, f)
    }
  }
  const value = (f: Figures | undefined): number | null => (f ? measureValue(measure, f) : null)
  const exact = isAdditive(measure)
  // Without columns each row of the API is a whole row of the pivot: its own figures.
  const rowMargins = exact || !colDim ? null : byKey(margins.byRow, rowDim)
  const colMargins = exact || !colDim ? null : byKey(margins.byCol, colDim)
  const rowTotals = rowKeys.map((k, i) => (exact || !colDim ? value(rowSums[i]) : value(rowMargins?.get(keyId(k)))))
  const colTotals = colKeys.map((k, j) => (exact ? value(colSums[j]) : value(colMargins?.get(keyId(k)))))
  const total = exact ? value(margins.total ?? sum) : value(margins.total)
  return {
    rowDim, colDim, measure, rows: rowKeys, cols: colKeys,
    cells: cells.map((line) => line.map((f) => measureValue(measure, f))),
    rowTotals, colTotals, total, students: sum.count,
  }
}

export interface GridTexts {
  /** The header of the label column, e.g. "学校 \ 性别" or "学校". */
  corner: string
  /** The header of the total column and the label of the total row. */
  total: string
  /** The header of the only value column when there is no column dimension (the measure's name). */
  count: string
}

/**
 * The pivot as shown: a header row, one row per row key, the totals row. Labels are the
 * caller's (`label(dim, key)`); figures stay numbers (Excel sums them), '' where there is
 * none (a class size without classes).
 */
export function pivotGrid(p: Pivot, label: (dim: string, key: Key) => string, texts: GridTexts): (string | number)[][] {
  const { colDim } = p
  const v = (x: number | null | undefined): string | number => x ?? ''
  if (!colDim) {
    return [
      [texts.corner, texts.count],
      ...p.rows.map((k, i) => [label(p.rowDim, k), v(p.rowTotals[i])]),
      [texts.total, v(p.total)],
    ]
  }
  return [
    [texts.corner, ...p.cols.map((k) => label(colDim, k)), texts.total],
    ...p.rows.map((k, i) => [label(p.rowDim, k), ...(p.cells[i] ?? []).map(v), v(p.rowTotals[i])]),
    [texts.total, ...p.colTotals.map(v), v(p.total)],
  ]
}

/**
 * RFC 4180 CSV of text and numbers (CRLF; quoted where needed), without the BOM; numbers
 * with `decimals` decimals (17.0, not 17, for a class size).
 */
export function toCsv(grid: readonly (readonly (string | number)[])[], decimals = 0): string {
  const field = (v: string | number): string => {
    const s = typeof v === 'number' && decimals > 0 ? v.toFixed(decimals) : String(v)
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
  }
  return grid.map((row) => row.map(field).join(',')).join('\r\n') + '\r\n'
}

/**
 * At most `max` series for a chart: the columns with the biggest totals in table order,
 * and when the measure adds up (students) the rest summed into one "other" series (index
 * -1); classes, schools and class sizes cannot be summed, so the rest are left out. All of
 * them when they fit.
 */
export function chartColumns(p: Pivot, max: number): number[] {
  if (p.cols.length <= max) return p.cols.map((_, j) => j)
  const other = isAdditive(p.measure)
  const biggest = p.cols
    .map((_, j) => j)
    .sort((a, b) => (p.colTotals[b] ?? 0) - (p.colTotals[a] ?? 0))
    .slice(0, other ? max - 1 : max)
    .sort((a, b) => a - b)
  return other ? [...biggest, -1] : biggest
}
