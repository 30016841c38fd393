// The node's operations endpoints for the system administrator's view: liveness,
// readiness (503 with a reason when not ready) and the Prometheus metrics.
import { api, getText } from './http'
import { ApiError } from './errors'

export interface Probe {
  ok: boolean
  status: string
}

async function probe(path: '/healthz' | '/readyz'): Promise<Probe> {
  try {
    return { ok: true, status: (await api.get(path)).data.status }
  } catch (e) {
    if (e instanceof ApiError && e.status === 503) return { ok: false, status: e.serverMessage || e.code }
    throw e
  }
}
export const health = () => probe('/healthz')
export const readiness = () => probe('/readyz')

export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

/** Parses the Prometheus text format (comments skipped). */
export function parseMetrics(text: string): Sample[] {
  const out: Sample[] = []
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line)
    if (!m || m[1] === undefined || m[3] === undefined) continue
    const labels: Record<string, string> = {}
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) if (l[1] && l[2] !== undefined) labels[l[1]] = l[2]
    out.push({ name: m[1], labels, value: Number(m[3]) })
  }
  return out
}

export async function metrics(): Promise<Sample[]> {
  return parseMetrics(await getText('/metrics'))
}
