// The ad hoc analysis' chart: the pivot's rows as stacked bars of its columns, or as a
// ring when there is no column dimension. Long pivots are cut for the chart only (the
// table keeps every row): the first kMaxBars rows, the kMaxSeries - 1 biggest columns and
// the rest as one "other" series. Tooltips are richText (the portal's CSP refuses the
// style attributes of ECharts' HTML tooltips).
import type { ChartOption } from '@/components/charts/EChart.vue'
import { chartColumns, type Key, type Pivot } from './pivot'

export const kMaxBars = 60
export const kMaxSeries = 12

export interface ChartTexts {
  label: (dim: string, key: Key) => string
  count: string
  other: string
}

export function pivotChartOption(p: Pivot, texts: ChartTexts): ChartOption {
  const rows = p.rows.slice(0, kMaxBars)
  const rowLabels = rows.map((k) => texts.label(p.rowDim, k))
  const colDim = p.colDim
  if (!colDim) {
    const slices = rowLabels.map((name, i) => ({ name, value: p.rowTotals[i] ?? 0 }))
    const rest = p.rowTotals.slice(kMaxBars).reduce((n, c) => n + c, 0)
    if (rest > 0) slices.push({ name: texts.other, value: rest })
    return {
      tooltip: { trigger: 'item', renderMode: 'richText' },
      legend: { type: 'scroll', bottom: 0 },
      series: [{ type: 'pie', radius: ['35%', '65%'], center: ['50%', '45%'], name: texts.count, data: slices }],
    }
  }
  const columns = chartColumns(p, kMaxSeries)
  const rotate = rowLabels.some((l) => l.length > 6) || rows.length > 12
  return {
    tooltip: { trigger: 'axis', renderMode: 'richText' },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 60, right: 20, top: 36, bottom: rotate ? 100 : 40 },
    xAxis: { type: 'category', data: rowLabels, axisLabel: rotate ? { rotate: 35, interval: 0 } : {} },
    yAxis: { type: 'value' },
    series: columns.map((j) => ({
      type: 'bar' as const,
      stack: 'total',
      barMaxWidth: 56,
      name: j < 0 ? texts.other : texts.label(colDim, p.cols[j] ?? null),
      data: rows.map((_, i) => {
        const line = p.cells[i] ?? []
        if (j >= 0) return line[j] ?? 0
        return line.reduce((n, c, k) => (columns.includes(k) ? n : n + c), 0)
      }),
    })),
  }
}
