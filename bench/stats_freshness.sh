#!/usr/bin/env bash
# Freshness of the statistics engine (issue 11 §5): the time from a committed registration
# to its count in the API, under a steady write load.
#
# A SQLite store of its own (STUDENTS generated, 200000), `nemis serve` on it with the
# statistics engine on (the default; started once /readyz answers and /metrics says
# nemis_stats_ready 1). Then, for each load level (LEVELS, default "0 1 8": no load, wrk
# -t1 -c1 and -t8 -c8 of bench/write_register.lua, registrations at 8 primary schools),
# bench/freshness_probe.mjs runs beside wrk for DURATION seconds: every 200 ms it registers
# one student of its own at a 9th school (its own registrar, citizen IDs of a county wrk
# never uses), notes when the 201 arrives, then counts that school through
# GET /api/v1/stats/students?org= until the count includes it (once also ?by=grade), and
# samples /metrics every 100 ms for the follower's lag (nemis_stats_applied_seq against the
# store's last change-log number, read from the SQLite file). Any answer but 201/200 is an
# error: counted, the first printed, the row marked invalid.
#
# With FORM_ORG (a province's code, e.g. 440000), bench/form_live_probe.mjs runs beside them at
# every level: a statistician of FORM_ORG asks for FORM (教基3112) of the registry now every
# 100 ms; a second table gives its latencies and how its 在校生数 rose.
#
# With STORE (an existing SQLite store made from the repository's root, whose keys are in
# var/keys: e.g. var/bench/stats.db, 10 million students), the node serves that store instead
# of a generated one (nothing is generated or removed; the registrations stay in it, so a
# second run needs a fresh copy: their citizen IDs would repeat).
#
# Usage: bench/stats_freshness.sh [DURATION seconds per level, 30]
# Environment: NEMIS_BIN (a built nemis; else bench_build's Release build), STUDENTS,
# LEVELS, BENCH_DIR (var/bench/freshness), PORT (18191), FORM_ORG, FORM and STORE. Prints
# Markdown; everything it started is stopped on exit.
set -euo pipefail
DURATION="${1:-30}"
export BENCH_DIR="${BENCH_DIR:-$(cd "$(dirname "$0")/.." && pwd)/var/bench/freshness}"
source "$(dirname "$0")/common.sh"
STUDENTS="${STUDENTS:-200000}"
LEVELS="${LEVELS:-0 1 8}"
PORT="${PORT:-18191}"
URL="http://127.0.0.1:$PORT"
export BENCH_LUA_DIR="$BENCH_ROOT/bench"
SCHOOL_COUNT=8  # wrk's schools; the probe's is one more

server_pid="" wrk_pid=""
cleanup() {
  if [ -n "$wrk_pid" ]; then kill -TERM "$wrk_pid" 2>/dev/null || true; wait "$wrk_pid" 2>/dev/null || true; fi
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bench_nemis_bin
FORM="${FORM:-教基3112}"
# nemis keeps its keys (var/keys) relative to its working directory: ours, or the
# repository's for a STORE made there.
if [ -n "${STORE:-}" ]; then
  db="$(realpath "$STORE")"
  cd "$BENCH_ROOT"
else
  db="$BENCH_DIR/nemis.db"
  cd "$BENCH_DIR"
fi
url="sqlite:$db"
store_text="$STUDENTS generated students"
[ -z "${STORE:-}" ] || store_text="the store $STORE"


# Nine open primary schools, a school registrar with an API token for each: the first
# eight for wrk (schools.txt, write_ids.lua's format), the ninth the probe's.
make_registrars() {
  local code token
  : >"$BENCH_DIR/schools.txt"
  for code in $(sqlite3 "$db" "SELECT code FROM org WHERE level = 4 AND school_type = '211' AND status = 'open' \
ORDER BY code LIMIT $((SCHOOL_COUNT + 1))"); do
    "$NEMIS" user add "bench.fresh.$code" --role school_registrar --org "$code" --db "$url" >/dev/null
    token=$("$NEMIS" token create "bench.fresh.$code" --name freshness-bench --db "$url")
    echo "$code $token" >>"$BENCH_DIR/schools.txt"
  done
  [ "$(wc -l <"$BENCH_DIR/schools.txt")" = $((SCHOOL_COUNT + 1)) ] || { echo "fewer than $((SCHOOL_COUNT + 1)) primary schools" >&2; exit 1; }
  tail -1 "$BENCH_DIR/schools.txt" >"$BENCH_DIR/probe.txt"
  sed -i '$d' "$BENCH_DIR/schools.txt"
}

# A statistician of FORM_ORG with an API token (form_token.txt), for the form probe.
make_statistician() {
  "$NEMIS" user add bench.fresh.stats --role statistician --org "$FORM_ORG" --db "$url" >/dev/null
  "$NEMIS" token create bench.fresh.stats --name freshness-bench --db "$url" >"$BENCH_DIR/form_token.txt"
}

# form_probe SECONDS -> the form probe's JSON.
form_probe() {
  URL="$URL" TOKEN="$(cat "$BENCH_DIR/form_token.txt")" FORM="$FORM" FORM_ORG="$FORM_ORG" \
    TODAY="$(TZ=Asia/Shanghai date +%F)" SECONDS="$1" node "$BENCH_ROOT/bench/form_live_probe.mjs"
}

start_server() {
  "$NEMIS" serve --db "$url" --port "$PORT" --set log.access=false >"$BENCH_DIR/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 600); do
    if curl -sf "$URL/readyz" >/dev/null && curl -sf "$URL/metrics" | grep -qx 'nemis_stats_ready 1'; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "nemis serve did not get ready: $(tail -5 "$BENCH_DIR/serve.log")" >&2
  exit 1
}

# Each wrk run its own range of write_ids.lua student numbers, a thread a block of it.
run_span=$((DURATION * 20000 > 100000 ? DURATION * 20000 : 100000))
next_start=0
take_range() { START=$next_start; next_start=$((next_start + run_span)); }

# wrk_start N SECONDS OUT: wrk in the background (wrk_pid).
wrk_start() {
  take_range
  START=$START BLOCK=$((run_span / $1)) SCHOOLS="$BENCH_DIR/schools.txt" \
    wrk -t"$1" -c"$1" -d"$2s" --timeout 10s -s "$BENCH_ROOT/bench/write_register.lua" "$URL" >"$3" 2>&1 &
  wrk_pid=$!
}
# wrk_figures OUT -> "req/s errors" (the script's unexpected answers plus socket errors;
# the first on stderr).
wrk_figures() {
  local errors socket
  errors=$(awk '/^write_errors/{print $2}' "$1")
  socket=$(awk '/Socket errors/{gsub(",", ""); print $4 + $6 + $8 + $10}' "$1")
  grep -E '^write_(first_error|overflow)' "$1" >&2 || true
  echo "$(awk '/Requests\/sec/{print $2}' "$1") $((${errors:-1} + ${socket:-0}))"
}

# probe FIRST SECONDS -> the probe's JSON (its students FIRST, FIRST + 1, ...).
probe() {
  local code token
  read -r code token <"$BENCH_DIR/probe.txt"
  URL="$URL" TOKEN="$token" SCHOOL="$code" START="$1" SECONDS="$2" DB="$db" \
    node "$BENCH_ROOT/bench/freshness_probe.mjs"
}

# row LOAD "rps wrk_errors" PROBE_JSON "busy cores"
row() {
  local load="$1" rps wrk_errors busy cores
  read -r rps wrk_errors <<<"$2"
  read -r busy cores <<<"$4"
  node -e '
const [load, rps, wrkErrors, busy, cores] = process.argv.slice(1);
const p = JSON.parse(process.argv[6]);
const f = (v) => v === null || v === undefined ? "—" : v.toFixed(1);
const q = (s) => `${f(s.p50)} / ${f(s.p95)} / ${f(s.p99)} / ${f(s.max)}`;
const errors = p.errors + Number(wrkErrors);
const invalid = errors ? " (invalid)" : "";
const lag = p.lag.maxSeqs === null ? "—" : `${p.lag.maxSeqs}${p.lag.maxMsAtRate === null || load === "none" ? "" : ` (≈ ${Math.round(p.lag.maxMsAtRate)} ms)`} / ${p.lag.p50Seqs}`;
const waited = p.lag.maxAgeMs === null ? "—" : `${p.lag.nonZero}/${p.lag.samples}; ≤ ${Math.round(p.lag.maxAgeMs)}`;
console.log(`| ${load} | ${rps}${invalid} | ${p.samples}${invalid} | ${q(p.fresh)} | ${p.getsMax ?? "—"} | ${q(p.count)} | ${q(p.post)} | ${p.byGrade === true ? "yes" : p.byGrade === false ? "no" : "—"} | ${p.lag.seqAdvance} | ${lag} | ${waited} | ${errors} | ${busy} | ${cores} |`);
' "$load" "$rps" "$wrk_errors" "$busy" "$cores" "$3"
}

echo "Freshness of the statistics engine: a registration's count through the API under a steady write load, \
$(date -u '+%F %H:%M') UTC, $(machine)"
echo "$NEMIS (file dated $(date -u -r "$NEMIS" '+%F %H:%M') UTC; $(cd "$BENCH_ROOT" && git rev-parse --short HEAD) checked out now); default settings (server.workers 8, \
stats.poll_interval_ms 200); SQLite, $store_text; wrk: registrars of $SCHOOL_COUNT schools; \
the probe: one registration every 200 ms at a school of its own, /metrics every 100 ms; ${DURATION} s per level."
echo "Also running when it started: load average $(cut -d' ' -f1-3 /proc/loadavg); busiest other processes: \
$(ps -eo pcpu=,comm= --sort=-pcpu | awk 'NR <= 4 {printf "%s%s %s%%", (NR > 1 ? ", " : ""), $2, $1}')."
if [ -z "${STORE:-}" ]; then
  rm -f "$db" "$db"-*
  "$NEMIS" gen --students "$STUDENTS" --seed 1 --db "$url" >"$BENCH_DIR/gen.log" 2>&1
fi
echo "The store: $db, $(sqlite3 "$db" 'SELECT COUNT(*) FROM student') students."
make_registrars
[ -z "${FORM_ORG:-}" ] || make_statistician
bench_warm "$db"
start_server
# Warm-up (not measured): registrations through wrk, then the probe once.
wrk_start 8 3 "$BENCH_DIR/wrk-warm.txt"
wait "$wrk_pid"; wrk_pid=""
probe 0 2 >/dev/null

echo
echo "| load | wrk req/s | probe samples | 201 → count includes it, ms p50 / p95 / p99 / max | GETs needed, max | count request, ms p50 / p95 / p99 / max | probe's POST, ms p50 / p95 / p99 / max | ?by=grade includes it | changes logged | follower lag, changes: max (≈ ms) / p50 | /metrics samples lagging; oldest unapplied change waited, ms | errors | machine CPU busy | nemis CPU (cores) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
level=0 form_rows=""
for n in $LEVELS; do
  level=$((level + 1))
  out="$BENCH_DIR/wrk-$n.txt"
  cpu_start
  [ "$n" = 0 ] || { wrk_start "$n" $((DURATION + 2)) "$out"; sleep 1; }
  form_pid=""
  if [ -n "${FORM_ORG:-}" ]; then form_probe "$DURATION" >"$BENCH_DIR/form-$n.json" & form_pid=$!; fi
  result=$(probe $((level * 100000)) "$DURATION")
  [ -z "$form_pid" ] || wait "$form_pid"
  figures="— 0"
  if [ "$n" != 0 ]; then wait "$wrk_pid"; wrk_pid=""; figures=$(wrk_figures "$out"); fi
  load="none"
  [ "$n" = 0 ] || load="wrk -t$n -c$n"
  row "$load" "$figures" "$result" "$(cpu_stop)"
  [ -z "$form_pid" ] || form_rows+="$(node -e '
const f = JSON.parse(process.argv[2]);
const v = (x) => x === null ? "—" : x.toFixed(1);
console.log(`| ${process.argv[1]} | ${f.requests} | ${v(f.ms.p50)} / ${v(f.ms.p95)} / ${v(f.ms.p99)} / ${v(f.ms.max)} | ${f.first} → ${f.last} (rose in ${f.raised} answers) | ${f.errors} |`);
' "$load" "$(cat "$BENCH_DIR/form-$n.json")")"$'\n'
done
if [ -n "$form_rows" ]; then
  echo
  echo "$FORM of $FORM_ORG for the registry now (asOf today), asked every 100 ms beside the probe above:"
  echo
  echo "| load | answers | ms p50 / p95 / p99 / max | 在校生数 first → last | errors |"
  echo "|---|---|---|---|---|"
  printf '%s' "$form_rows"
fi
