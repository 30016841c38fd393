#!/usr/bin/env bash
# GET /api/v1/students/{number} under wrk (50 connections) on the stores that
# import_bench.sh filled, authorised by an API token, beside /healthz in the same run;
# peak server memory.
# Run import_bench.sh first (same N). Prints a Markdown table.
set -euo pipefail
source "$(dirname "$0")/common.sh"
N="${1:-10000000}"
DURATION="${DURATION:-30s}"
PORT=18181

bench_build
csv=$(bench_csv "$N")
numbers="$BENCH_DIR/numbers.txt"
# About 200,000 numbers spread over the file: G + the citizen ID (column 8, type 1 in column 7).
awk -F, -v step=$((N / 200000 + 1)) 'NR > 1 && NR % step == 0 && $7 == "1" { print "G" $8 }' "$csv" >"$numbers"

run_wrk() {  # run_wrk PATH [lua] -> "req/s p50 p99"
  local out
  if [ -n "${2:-}" ]; then
    out=$(NUMBERS="$numbers" wrk -t2 -c50 -d"$DURATION" --latency -s "$2" "http://127.0.0.1:$PORT")
  else
    out=$(wrk -t2 -c50 -d"$DURATION" --latency "http://127.0.0.1:$PORT$1")
  fi
  echo "$(echo "$out" | awk '/Requests\/sec/{print $2}') $(echo "$out" | awk '$1=="50%"{print $2}') $(echo "$out" | awk '$1=="99%"{print $2}') $(echo "$out" | grep -c 'Non-2xx' || true)"
}

measure() {  # measure LABEL URL STORE_FILES
  # Lookups are authorised like any client's: a national registry officer's API token.
  "$NEMIS" user add bench.reader --role national_registrar --org 000000 --db "$2" >/dev/null
  TOKEN=$("$NEMIS" token create bench.reader --name bench --db "$2")
  export TOKEN
  bench_warm "$3"
  "$NEMIS" serve --db "$2" --port $PORT --set log.access=false >"$BENCH_DIR/serve.log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
  # Warm the page cache and the statement caches before measuring.
  DURATION=10s run_wrk / "$(dirname "$0")/lookup.lua" >/dev/null
  read -r h_rps h_p50 h_p99 _ <<<"$(run_wrk /healthz)"
  read -r l_rps l_p50 l_p99 l_errors <<<"$(run_wrk / "$(dirname "$0")/lookup.lua")"
  # Peak resident size includes the store's memory-mapped pages; RssAnon is the heap.
  local rss
  rss=$(awk '/VmHWM/{hwm = $2} /RssAnon/{anon = $2} END {printf "%.0f MiB (heap %.0f MiB)", hwm / 1024, anon / 1024}' \
    "/proc/$pid/status")
  kill -TERM $pid
  wait $pid || true
  echo "| $1 | /healthz | $h_rps | $h_p50 | $h_p99 | |"
  echo "| $1 | GET /api/v1/students/{number} | $l_rps | $l_p50 | $l_p99 | $rss |"
  [ "$l_errors" = "0" ] || echo "| $1 | (lookup answered non-2xx: $l_errors lines) | | | | |"
}

echo "Lookups on a $N-student store, wrk -t2 -c50 -d$DURATION, server and wrk on the same machine, $(date -u +%F), $(machine)"
echo
echo "| store | route | req/s | p50 | p99 | server peak RSS |"
echo "|---|---|---|---|---|---|"
measure SQLite "sqlite:$BENCH_DIR/nemis.db" "$BENCH_DIR/nemis.db"
if [ -d "$BENCH_DIR/pg/data" ]; then
  PG_PORT="${PG_PORT:-55432}"
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$BENCH_DIR/pg/data" -l "$BENCH_DIR/pg/log" -w \
    -o "-p $PG_PORT -k $BENCH_DIR/pg -c listen_addresses=127.0.0.1" start >/dev/null
  trap pg_stop EXIT
  measure PostgreSQL "$(pg_url nemis)" "$BENCH_DIR/pg/data"
fi
