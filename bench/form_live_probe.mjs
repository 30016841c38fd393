// Probe for bench/stats_freshness.sh (FORM_ORG set; plain Node 20: global fetch): for
// SECONDS, every INTERVAL_MS (100) it asks for a statistical form of the registry now,
// GET /api/v1/stats/forms/FORM?org=FORM_ORG&asOf=TODAY (a province's 教基3112 by default:
// the node catches up with the change log, then reads the form's cells from the rollups the
// follower keeps), with a statistician's TOKEN, and notes each answer's latency and the
// form's 在校生数 (the first row's column of that name), which the registrations beside it
// raise. Any answer but 200 is an error: counted, the first printed. Prints one JSON object.
import { performance } from 'node:perf_hooks';
import { env, summary } from './probe_common.mjs';

const URL_BASE = env('URL');
const TOKEN = env('TOKEN');
const FORM = env('FORM', '教基3112');
const ORG = env('FORM_ORG');
const TODAY = env('TODAY');
const SECONDS = Number(env('SECONDS', '30'));
const INTERVAL_MS = Number(env('INTERVAL_MS', '100'));

const url = `${URL_BASE}/api/v1/stats/forms/${encodeURIComponent(FORM)}?org=${ORG}&asOf=${TODAY}`;
const latencies = [];
let errors = 0, firstError = null, first = null, last = null, raised = 0;

const enrolled = (form) => {
  const column = form.columns.findIndex((c) => c.name === '在校生数');
  return column < 0 ? null : form.rows[0].cells[column];
};

const end = performance.now() + SECONDS * 1000;
while (performance.now() < end) {
  const started = performance.now();
  try {
    const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    const body = await res.text();
    const ms = performance.now() - started;
    if (res.status !== 200) {
      errors++;
      firstError ??= `${res.status} ${body.slice(0, 200)}`;
    } else {
      latencies.push(ms);
      const n = enrolled(JSON.parse(body));
      if (first === null) first = n;
      if (last !== null && n > last) raised++;
      last = n;
    }
  } catch (e) {
    errors++;
    firstError ??= String(e);
  }
  const wait = INTERVAL_MS - (performance.now() - started);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}

if (firstError) console.error(`form probe: first error: ${firstError}`);
console.log(JSON.stringify({ requests: latencies.length, errors, first, last, raised, ms: summary(latencies) }));
