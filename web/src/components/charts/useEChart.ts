// The life of one ECharts instance in a component: created on `el` once mounted (at
// `height` px), kept to the size of its box, given `option()` again whenever `source`
// changes, told of clicks, and disposed of with the component. The caller registers the
// chart types it needs (echarts.use), so each chunk carries only those.
import { onBeforeUnmount, onMounted, watch, type Ref, type WatchSource } from 'vue'
import * as echarts from 'echarts/core'
import type { ECElementEvent, EChartsCoreOption } from 'echarts/core'

export function useEChart(
  el: Ref<HTMLDivElement | null>,
  height: number,
  option: () => EChartsCoreOption,
  source: WatchSource,
  onClick?: (event: ECElementEvent) => void,
): void {
  let chart: echarts.ECharts | null = null
  let observer: ResizeObserver | null = null
  onMounted(() => {
    if (!el.value) return
    el.value.style.height = `${height}px`
    chart = echarts.init(el.value, undefined, { renderer: 'canvas' })
    chart.setOption(option())
    if (onClick) chart.on('click', (e) => onClick(e as ECElementEvent))
    observer = new ResizeObserver(() => chart?.resize())
    observer.observe(el.value)
  })
  watch(source, () => chart?.setOption(option(), true), { deep: true })
  onBeforeUnmount(() => {
    observer?.disconnect()
    chart?.dispose()
    chart = null
  })
}
