// Probe for bench/stats_freshness.sh (plain Node 20: global fetch, no npm packages).
//
// Every INTERVAL_MS (200) for SECONDS it registers ONE student of its own at SCHOOL (its
// own school registrar's TOKEN; no other client writes to that school), notes the instant
// the 201 arrives, then counts the school, GET /api/v1/stats/students?org=SCHOOL, until the
// total includes every student it registered so far. Per sample: the time from the 201 to
// the answer of the first count that includes it, how many GETs that took, and the
// latency of every count request. Once (after the first sample) it also checks
// ?by=grade: exactly one grade's row up by one, the rows adding up to the total.
//
// Beside it, every METRICS_MS (100): nemis_stats_applied_seq from /metrics, then the
// store's last change-log sequence number (SQLite DB, `SELECT last FROM change_seq`,
// read by one sqlite3 process kept open); their difference is the follower's lag in
// changes (an upper bound: changes committed between the two reads count as lag).
//
// The students: n = START, START + 1, ... get citizen IDs with address code 120101
// (Tianjin 和平区: neither bench/write_ids.lua, whose counties are in Beijing and
// Shanghai, nor `nemis gen`, whose students are born in Guangdong, uses it), otherwise
// the body of write_ids.lua (the same fields, birth dates and check character).
//
// Any answer but 201 (registration) or 200 (count, metrics) is an error: counted, the
// first one printed. Prints one JSON object with the figures on stdout.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { env, pct, summary } from './probe_common.mjs';

const URL_BASE = env('URL');
const TOKEN = env('TOKEN');
const SCHOOL = env('SCHOOL');
const START = Number(env('START', '0'));
const SECONDS = Number(env('SECONDS', '30'));
const INTERVAL_MS = Number(env('INTERVAL_MS', '200'));
const METRICS_MS = Number(env('METRICS_MS', '100'));
const DB = env('DB');
const COUNTY = '120101';

// --- registration bodies: write_ids.lua's, with the probe's own county ---------------
const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkChars = '10X98765432';
const surnames = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭'];
const given = ['子涵', '欣怡', '梓轩', '浩宇', '雨桐', '一诺', '宇轩', '思彤', '俊杰', '诗涵',
  '梓萱', '子墨', '语桐', '浩然', '可馨', '明轩', '若曦', '嘉怡', '天佑', '博文'];
const fathers = ['建国', '志强', '伟', '海涛', '建华', '俊', '国庆', '立新'];
const streets = ['天河路', '体育西路', '中山大道', '黄埔大道', '五山路', '龙口西路', '华景路', '林和西路'];
const kDays = 2191; // 2013-09-01 .. 2019-08-31
const pad = (v, n) => String(v).padStart(n, '0');
const day = (y, m, d, i) => {
  const t = new Date(Date.UTC(y, m - 1, d) + i * 86400000);
  const [yy, mm, dd] = [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
  return { iso: `${yy}-${pad(mm, 2)}-${pad(dd, 2)}`, compact: `${yy}${pad(mm, 2)}${pad(dd, 2)}`, year: yy, month: mm };
};
const checkChar = (first17) => {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * weights[i];
  return checkChars[sum % 11];
};
const idNumber = (date, sequence) => {
  const first17 = COUNTY + date + pad(sequence, 3);
  return first17 + checkChar(first17);
};
function body(n) {
  if (n >= kDays * 1000) throw new Error(`student ${n} is beyond the probe's IDs`);
  const d = Math.floor(n / 1000), sequence = n % 1000;
  const birth = day(2013, 9, 1, d);
  const guardianBirth = day(1982, 3, 1, d);
  const firstYear = birth.year + 6 + (birth.month >= 9 ? 1 : 0);
  const surname = surnames[n % surnames.length];
  return JSON.stringify({
    name: surname + given[Math.floor(n / surnames.length) % given.length],
    gender: sequence % 2 === 1 ? 1 : 2,
    birthDate: birth.iso,
    ethnicity: '01',
    idNumber: idNumber(birth.compact, sequence),
    schoolCode: SCHOOL,
    grade: 2025 - firstYear + 1,
    classNo: String(n % 8 + 1),
    entryDate: `${firstYear}-09`,
    hukouType: '1',
    address: `广东省广州市天河区${streets[n % streets.length]}${n % 300 + 1}号`,
    phone: `139${pad(n % 100000000, 8)}`,
    guardian1Name: surname + fathers[n % fathers.length],
    guardian1Relation: '1',
    guardian1IdNumber: idNumber(guardianBirth.compact, sequence - (sequence % 2) + 1),
    guardian1Phone: `138${pad((n * 7) % 100000000, 8)}`,
  });
}

// --- errors ---------------------------------------------------------------------------
let errors = 0;
let firstError = '';
const fail = (what) => {
  errors++;
  if (!firstError) {
    firstError = what.replace(/\s+/g, ' ').slice(0, 500);
    process.stderr.write(`freshness_probe first error: ${firstError}\n`);
  }
};

// --- the store's last change-log sequence number, from one sqlite3 process ------------
const sqlite = spawn('sqlite3', ['-batch', '-noheader', '-cmd', '.timeout 5000', DB], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const waiting = [];
createInterface({ input: sqlite.stdout }).on('line', (line) => waiting.shift()?.(line));
const lastSeq = () => new Promise((resolve) => {
  waiting.push((line) => resolve(Number(line)));
  sqlite.stdin.write('SELECT last FROM change_seq WHERE id = 1;\n');
});

const auth = { Authorization: `Bearer ${TOKEN}` };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function appliedSeq() {
  const res = await fetch(`${URL_BASE}/metrics`);
  const text = await res.text();
  if (res.status !== 200) { fail(`GET /metrics ${res.status} ${text}`); return null; }
  const m = text.match(/^nemis_stats_applied_seq (\d+)$/m);
  if (!m) { fail('GET /metrics: no nemis_stats_applied_seq'); return null; }
  return Number(m[1]);
}

async function count(by) {
  const t0 = performance.now();
  const res = await fetch(`${URL_BASE}/api/v1/stats/students?org=${SCHOOL}${by ? `&by=${by}` : ''}`, { headers: auth });
  const text = await res.text();
  const t1 = performance.now();
  if (res.status !== 200) { fail(`GET /api/v1/stats/students ${res.status} ${text}`); return { ok: false, t1, ms: t1 - t0 }; }
  return { ok: true, t1, ms: t1 - t0, json: JSON.parse(text) };
}

// --- the metrics sampler --------------------------------------------------------------
const lagSamples = []; // {t, applied, last}
let sampling = true;
async function sampleMetrics() {
  while (sampling) {
    const t = performance.now();
    try {
      const applied = await appliedSeq();
      const last = await lastSeq();
      if (applied !== null) lagSamples.push({ t, applied, last });
    } catch (e) {
      fail(`metrics sample: ${e.message}`);
    }
    await sleep(Math.max(0, METRICS_MS - (performance.now() - t)));
  }
}

// --- the probe --------------------------------------------------------------------------
const baseline = await count('');
const baselineByGrade = await count('grade');
if (!baseline.ok || !baselineByGrade.ok) { console.log(JSON.stringify({ errors, firstError })); process.exit(1); }
const total0 = baseline.json.total;
const sampler = sampleMetrics();

const freshMs = [], getsNeeded = [], countMs = [], postMs = [];
let registered = 0, notSeen = 0, byGradeChecked = null;
const end = performance.now() + SECONDS * 1000;
let n = START;
while (performance.now() < end) {
  const tick = performance.now();
  try {
    const p0 = performance.now();
    const res = await fetch(`${URL_BASE}/api/v1/students`, {
      method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: body(n++),
    });
    const text = await res.text();
    const t201 = performance.now();
    postMs.push(t201 - p0);
    if (res.status !== 201) {
      fail(`POST /api/v1/students ${res.status} ${text}`);
    } else {
      registered++;
      let gets = 0, seen = false;
      while (!seen && performance.now() - t201 < 5000) {
        const c = await count('');
        gets++;
        countMs.push(c.ms);
        if (!c.ok) break;
        const total = c.json.total;
        if (total > total0 + registered) { fail(`count ${total} > ${total0} + ${registered}: another writer at ${SCHOOL}`); break; }
        if (total === total0 + registered) {
          seen = true;
          freshMs.push(c.t1 - t201);
          getsNeeded.push(gets);
        }
      }
      if (!seen) { notSeen++; fail(`student ${n - 1} not counted 5 s after its 201`); }
      if (seen && byGradeChecked === null) {
        // ?by=grade: exactly one grade up by one since the baseline, the rows adding up.
        const g = await count('grade');
        if (g.ok) {
          const before = new Map(baselineByGrade.json.rows.map((r) => [String(r.grade), r.count]));
          const diffs = g.json.rows.map((r) => r.count - (before.get(String(r.grade)) ?? 0)).filter((d) => d !== 0);
          const sum = g.json.rows.reduce((s, r) => s + r.count, 0);
          byGradeChecked = diffs.length === 1 && diffs[0] === 1 && sum === g.json.total && g.json.total === total0 + registered;
          if (!byGradeChecked) fail(`?by=grade does not include the student: ${JSON.stringify(g.json)}`);
        }
      }
    }
  } catch (e) {
    fail(`probe: ${e.message}`);
  }
  await sleep(Math.max(0, INTERVAL_MS - (performance.now() - tick)));
}
sampling = false;
await sampler;
sqlite.stdin.end();

// --- figures ------------------------------------------------------------------------------
// The follower's lag: changes committed but not applied (last - applied) at each sample,
// and how long the oldest of them had been waiting: it committed after the last sample
// that had not yet seen it (an upper bound, to the sampling interval).
const gaps = lagSamples.map((s) => Math.max(0, s.last - s.applied));
const ages = lagSamples.map((s, i) => {
  if (s.last <= s.applied) return 0;
  let j = i;
  while (j > 0 && lagSamples[j - 1].last > s.applied) j--;
  return j > 0 ? s.t - lagSamples[j - 1].t : s.t - lagSamples[0].t;
});
console.log(JSON.stringify({
  samples: freshMs.length,
  registered,
  notSeen,
  fresh: summary(freshMs),
  getsMax: getsNeeded.length ? Math.max(...getsNeeded) : null,
  getsOverOne: getsNeeded.filter((g) => g > 1).length,
  count: summary(countMs),
  post: summary(postMs),
  byGrade: byGradeChecked,
  lag: {
    samples: lagSamples.length,
    maxSeqs: gaps.length ? Math.max(...gaps) : null,
    p50Seqs: pct(gaps, 0.5),
    p99Seqs: pct(gaps, 0.99),
    nonZero: gaps.filter((g) => g > 0).length,
    maxAgeMs: ages.length ? Math.max(...ages) : null,
    seqAdvance: lagSamples.length ? lagSamples.at(-1).last - lagSamples[0].last : null,
    // the largest gap in time: changes over the level's rate of changes
    maxMsAtRate: lagSamples.length > 1 && lagSamples.at(-1).last > lagSamples[0].last
      ? Math.max(...gaps) / ((lagSamples.at(-1).last - lagSamples[0].last) / (lagSamples.at(-1).t - lagSamples[0].t))
      : null,
  },
  errors,
  firstError,
}));
process.exit(0);
