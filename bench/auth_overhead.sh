#!/usr/bin/env bash
# The cost of authorisation on the hot lookup: GET /api/v1/students/{number} under wrk
# on the 10M-student SQLite store of import_bench.sh, served alternately by the
# Foundation binary (before accounts existed; no credentials) and the current one
# (a national registry officer's API token), twice each, in one run.
# FOUNDATION_BIN: the nemis binary built from the Foundation commit (e.g. a release
# build of a `git worktree` checked out at it). STORE=postgresql compares on the
# PostgreSQL cluster import_bench.sh left in $BENCH_DIR/pg instead. Usage:
# auth_overhead.sh [N]. Prints a Markdown table.
set -euo pipefail
source "$(dirname "$0")/common.sh"
: "${FOUNDATION_BIN:?set FOUNDATION_BIN to a nemis binary built from the Foundation commit}"
N="${1:-10000000}"  # the size import_bench.sh loaded
DURATION="${DURATION:-20s}"
PORT=18183
numbers="$BENCH_DIR/numbers.txt"
lua="$(dirname "$0")/lookup.lua"

bench_build
# The Foundation binary reads its own schema (personal data in clear, before migration 4):
# it loads the same file into a store of its own, once.
if [ "${STORE:-sqlite}" = postgresql ]; then
  PG_PORT="${PG_PORT:-55432}"
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$BENCH_DIR/pg/data" -l "$BENCH_DIR/pg/log" -w \
    -o "-p $PG_PORT -k $BENCH_DIR/pg -c listen_addresses=127.0.0.1" start >/dev/null
  trap pg_stop EXIT
  store="$(pg_url nemis)" foundation_store="$(pg_url foundation)" files="$BENCH_DIR/pg/data"
  if [ -z "$(pg_psql postgres -tA -c "SELECT 1 FROM pg_database WHERE datname = 'foundation'")" ]; then
    pg_psql postgres -c "CREATE DATABASE foundation"
    "$FOUNDATION_BIN" import students "$(bench_csv "$N")" --db "$foundation_store" >/dev/null
    pg_psql foundation -c "VACUUM ANALYZE student"
  fi
  pg_psql nemis -c "VACUUM ANALYZE student"  # both tables read back from a settled state
else
  store="sqlite:$BENCH_DIR/nemis.db" foundation_store="sqlite:$BENCH_DIR/foundation.db"
  if [ ! -s "$BENCH_DIR/foundation.db" ]; then
    "$FOUNDATION_BIN" import students "$(bench_csv "$N")" --db "$foundation_store" >/dev/null
  fi
fi
"$NEMIS" user add bench.reader --role national_registrar --org 000000 --db "$store" >/dev/null
token=$("$NEMIS" token create bench.reader --name auth-overhead --db "$store")

run() {  # run BINARY STORE TOKEN -> "req/s p50 p99 non2xx"
  bench_warm "${files:-${2#sqlite:}}"
  "$1" serve --db "$2" --port $PORT --set log.access=false >"$BENCH_DIR/serve.log" 2>&1 &
  local pid=$! out
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
  NUMBERS="$numbers" TOKEN="$3" wrk -t2 -c50 -d10s -s "$lua" "http://127.0.0.1:$PORT" >/dev/null  # warm-up
  out=$(NUMBERS="$numbers" TOKEN="$3" wrk -t2 -c50 -d"$DURATION" --latency -s "$lua" "http://127.0.0.1:$PORT")
  kill -TERM $pid
  wait $pid || true
  echo "$(echo "$out" | awk '/Requests\/sec/{print $2}') $(echo "$out" | awk '$1=="50%"{print $2}') $(echo "$out" | awk '$1=="99%"{print $2}') $(echo "$out" | grep -c 'Non-2xx' || true)"
}

echo "Authorised lookups vs the Foundation binary on ${STORE:-sqlite}, wrk -t2 -c50 -d$DURATION, $(date -u +%F), $(machine)"
echo
echo "| round | binary | req/s | p50 | p99 | non-2xx lines |"
echo "|---|---|---|---|---|---|"
for round in 1 2; do
  read -r rps p50 p99 bad <<<"$(run "$FOUNDATION_BIN" "$foundation_store" "")"
  echo "| $round | Foundation (no accounts) | $rps | $p50 | $p99 | $bad |"
  read -r rps p50 p99 bad <<<"$(run "$NEMIS" "$store" "$token")"
  echo "| $round | current, API token | $rps | $p50 | $p99 | $bad |"
done
