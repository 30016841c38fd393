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
    // 503 (not ready, with the reason) and an unreachable node are answers, not page errors.
    if (e instanceof ApiError && (e.status === 503 || e.status === 0)) return { ok: false, status: e.serverMessage || e.code }
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

/** Sum of the samples called `name` whose labels match `where`. */
export function total(samples: Sample[], name: string, where: (l: Record<string, string>) => boolean = () => true): number {
  let sum = 0
  for (const s of samples) if (s.name === name && where(s.labels)) sum += s.value
  return sum
}

export interface Latency {
  count: number
  /** Mean in milliseconds (0 without observations). */
  meanMs: number
  /** Upper bound of the bucket holding the 95th percentile, in ms (Infinity above the last bound). */
  p95Ms: number
}

/**
 * A histogram's count, mean and 95th percentile over every series of `name` matching
 * `where` (the buckets are cumulative per series, with the same bounds everywhere).
 */
export function latency(samples: Sample[], name: string, where: (l: Record<string, string>) => boolean = () => true): Latency {
  const count = total(samples, name + '_count', where)
  const sum = total(samples, name + '_sum', where)
  const buckets = new Map<number, number>()
  for (const s of samples) {
    if (s.name !== name + '_bucket' || !where(s.labels) || s.labels.le === undefined) continue
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le)
    buckets.set(le, (buckets.get(le) ?? 0) + s.value)
  }
  let p95Ms = 0
  if (count > 0) {
    p95Ms = Infinity
    for (const [le, cumulative] of [...buckets.entries()].sort((a, b) => a[0] - b[0]))
      if (cumulative >= 0.95 * count) {
        p95Ms = le * 1000
        break
      }
  }
  return { count, meanMs: count ? (sum / count) * 1000 : 0, p95Ms }
}
