// The ad hoc analysis' chart: the pivot's rows as stacked bars of its columns, or as a
// ring when there is no column dimension. Long pivots are cut for the chart only (the
// table keeps every row): the first kMaxBars rows, the kMaxSeries - 1 biggest columns and
// the rest as one "other" series. Classes, schools and class sizes do not add up (a class
// can be in two columns): their bars stand side by side, not stacked, without a ring or an
// "other" series (the kMaxSeries biggest columns only). Tooltips are richText (the
// portal's CSP refuses the style attributes of ECharts' HTML tooltips).
import type { ChartOption } from '@/components/charts/EChart.vue'
import { chartColumns, isAdditive, type Key, type Pivot } from './pivot'

export const kMaxBars = 60
export const kMaxSeries = 12

export interface ChartTexts {
  label: (dim: string, key: Key) => string
  /** The measure's name (the series of a ring or of single bars). */
  count: string
  other: string
}

export function pivotChartOption(p: Pivot, texts: ChartTexts): ChartOption {
  const rows = p.rows.slice(0, kMaxBars)
  const rowLabels = rows.map((k) => texts.label(p.rowDim, k))
  const colDim = p.colDim
  const additive = isAdditive(p.measure)
  const rotate = rowLabels.some((l) => l.length > 6) || rows.length > 12
  const bars = (series: ChartOption['series']): ChartOption => ({
    tooltip: { trigger: 'axis', renderMode: 'richText' },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 60, right: 20, top: 36, bottom: rotate ? 100 : 40 },
    xAxis: { type: 'category', data: rowLabels, axisLabel: rotate ? { rotate: 35, interval: 0 } : {} },
    // Whole classes and schools on the axis; class sizes have decimals.
    yAxis: p.measure === 'classSize' ? { type: 'value' } : { type: 'value', minInterval: 1 },
    series,
  })
  // '-' is ECharts' "no value" (a class size without classes).
  const bar = (v: number | null | undefined): number | '-' => (v === null || v === undefined ? '-' : v)
  if (!colDim && !additive) {
    return bars([{ type: 'bar', barMaxWidth: 56, name: texts.count, data: rows.map((_, i) => bar(p.rowTotals[i])) }])
  }
  if (!colDim) {
    const slices = rowLabels.map((name, i) => ({ name, value: p.rowTotals[i] ?? 0 }))
    const rest = p.rowTotals.slice(kMaxBars).reduce<number>((n, c) => n + (c ?? 0), 0)
    if (rest > 0) slices.push({ name: texts.other, value: rest })
    return {
      tooltip: { trigger: 'item', renderMode: 'richText' },
      legend: { type: 'scroll', bottom: 0 },
      series: [{ type: 'pie', radius: ['35%', '65%'], center: ['50%', '45%'], name: texts.count, data: slices }],
    }
  }
  const columns = chartColumns(p, kMaxSeries)
  return bars(
    columns.map((j) => ({
      type: 'bar' as const,
      ...(additive ? { stack: 'total' } : {}),
      barMaxWidth: 56,
      name: j < 0 ? texts.other : texts.label(colDim, p.cols[j] ?? null),
      data: rows.map((_, i) => {
        const line = p.cells[i] ?? []
        if (j >= 0) return bar(line[j])
        return line.reduce<number>((n, c, k) => (columns.includes(k) ? n : n + (c ?? 0)), 0)
      }),
    })),
  )
}
