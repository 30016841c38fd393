// Chart options and row helpers shared by the statistics page and the home dashboard
// (GET /api/v1/stats/students rows → ECharts options). Tooltips are richText: ECharts'
// HTML tooltips set style attributes, which the portal's CSP refuses.
import type { StatsResponse } from '@/api/stats'
import type { ChartOption } from '@/components/charts/EChart.vue'
import { genderLabel, gradeLabel } from '@/utils/format'

export type StatsRow = StatsResponse['rows'][number]

/** Counts summed over one dimension of rows grouped by several (first-seen order). */
export function sumBy(rows: readonly StatsRow[], dim: string): { key: string | number | null; count: number }[] {
  const out = new Map<string | number | null, number>()
  for (const row of rows) {
    const v = row[dim]
    const k = typeof v === 'string' || typeof v === 'number' ? v : null
    out.set(k, (out.get(k) ?? 0) + row.count)
  }
  return [...out].map(([key, count]) => ({ key, count }))
}

/** Students by grade as bars (rows carry `grade`). */
export function gradeBarOption(rows: readonly StatsRow[], seriesName: string): ChartOption {
  return {
    tooltip: { trigger: 'axis', renderMode: 'richText' },
    grid: { left: 60, right: 20, top: 20, bottom: 40 },
    xAxis: { type: 'category', data: rows.map((r) => (typeof r.grade === 'number' ? gradeLabel(r.grade) : '—')) },
    yAxis: { type: 'value' },
    series: [{ type: 'bar', name: seriesName, data: rows.map((r) => r.count), itemStyle: { color: '#0891b2' } }],
  }
}

/** Students by gender as a ring (rows carry `gender`). */
export function genderPieOption(rows: readonly StatsRow[], seriesName: string): ChartOption {
  return {
    tooltip: { trigger: 'item', renderMode: 'richText' },
    legend: { bottom: 0 },
    series: [
      {
        type: 'pie',
        radius: ['40%', '70%'],
        name: seriesName,
        data: rows.map((r) => ({ name: genderLabel(r.gender), value: r.count })),
      },
    ],
  }
}

/** Bars of labelled counts (e.g. students by stage). */
export function labelledBarOption(bars: readonly { label: string; count: number }[], seriesName: string, color = '#1d4ed8'): ChartOption {
  return {
    tooltip: { trigger: 'axis', renderMode: 'richText' },
    grid: { left: 60, right: 20, top: 20, bottom: 40 },
    xAxis: { type: 'category', data: bars.map((b) => b.label) },
    yAxis: { type: 'value' },
    series: [{ type: 'bar', name: seriesName, data: bars.map((b) => b.count), itemStyle: { color } }],
  }
}
