// Shared by the benchmark probes (plain Node 20): settings from the environment and
// latency summaries.

/** The environment variable `name`, or `fallback`; an error if neither. */
export const env = (name, fallback) => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`${name} is not set`);
  return v;
};

/** The `p` quantile of `values` (nearest rank); null for none. */
export const pct = (values, p) => {
  if (!values.length) return null;
  const v = [...values].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil(p * v.length) - 1))];
};

/** How many, p50, p95, p99 and the largest. */
export const summary = (values) => ({
  n: values.length,
  p50: pct(values, 0.5), p95: pct(values, 0.95), p99: pct(values, 0.99),
  max: values.length ? Math.max(...values) : null,
});
