#!/usr/bin/env bash
# Province → national catch-up over mutual TLS against plain HTTP, in one run (issue 12 §1, §8;
# docs/exchange.md §1a). SQLite stores, two `nemis serve` on loopback.
#
# A province of STUDENTS (300,000) made by `nemis gen`; both nodes' identities and TLS
# certificates (nemis node init/issue/install, nemis node tls). Two empty national stores pull
# the province's whole log, one after the other: over plain HTTP (the province without a TLS
# port, signed requests only), then over mutual TLS 1.3 (the province with node.tls_port, the
# national node pulling at https://). Measured: seconds from the national node's start until its
# checkpoint is the province's last change, as changes/s, and each process's CPU seconds. The
# stores are read from the page cache in both runs (warmed first).
#
# Usage: bench/exchange_tls_bench.sh
# Environment: NEMIS_BIN (a built nemis; else bench_build's Release build), STUDENTS,
# BENCH_DIR (var/bench/exchange-tls). Prints Markdown; stops what it started on exit.
set -euo pipefail
export BENCH_DIR="${BENCH_DIR:-$(cd "$(dirname "$0")/.." && pwd)/var/bench/exchange-tls}"
source "$(dirname "$0")/common.sh"
STUDENTS="${STUDENTS:-300000}"
P_PORT=18391
P_TLS=18393
G_PORT=18392
G_TLS=18394
bench_nemis_bin
NEMIS=$(realpath "$NEMIS")  # the script works in $BENCH_DIR
command -v sqlite3 >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 >/dev/null

cd "$BENCH_DIR"
rm -rf ./*
pids=()
trap stop_started EXIT

P=(--set "$(exchange_node_settings province 440000 provincial)")
G=(--set "$(exchange_node_settings national 000000 national)")

"$NEMIS" node init "${G[@]}" >/dev/null 2>&1
"$NEMIS" node init "${P[@]}" >province.pub 2>/dev/null
"$NEMIS" node issue "${G[@]}" --code 440000 --public-key province.pub >province.crt 2>/dev/null
"$NEMIS" node install "${P[@]}" --certificate province.crt --ca national-keys/ca.crt >/dev/null
"$NEMIS" node tls "${G[@]}" >/dev/null
serve national-tls.log $G_PORT "${G[@]}"
"$NEMIS" node tls "${P[@]}" --national "http://127.0.0.1:$G_PORT" >/dev/null
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'
"$NEMIS" gen --students "$STUDENTS" --seed 1 --db sqlite:province.db "${P[@]}" >/dev/null 2>&1
head=$(sqlite3 province.db "SELECT MAX(seq) FROM change_log")
# An empty national store knowing the province, for each run.
cp national.db national-empty.db

# pull SCHEME PROVINCE-SETTINGS NATIONAL-SETTINGS: one catch-up from an empty national store;
# prints "seconds province-cpu-s national-cpu-s digests-equal".
pull() {
  local url=$1 start secs p_cpu g_cpu digest_p digest_g
  cp national-empty.db national.db
  rm -f national.db-wal national.db-shm
  bench_warm province.db national.db
  serve province.log $P_PORT "${P[@]}$2"
  start=$(date +%s.%N)
  serve national.log $G_PORT "${G[@]},exchange.sources=440000=$url$3"
  until [ "$(metric nemis_exchange_checkpoint)" = "$head" ]; do sleep 0.05; done
  secs=$(echo "$(date +%s.%N) - $start" | bc)
  p_cpu=$(echo "$(cpu_process "${pids[-2]}") / $clock_ticks" | bc -l)
  g_cpu=$(echo "$(cpu_process "${pids[-1]}") / $clock_ticks" | bc -l)
  for _ in 1 2; do kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'; done
  digest_p=$("$NEMIS" exchange digest "${P[@]}" --province 440000 2>/dev/null | tail -1)
  digest_g=$("$NEMIS" exchange digest "${G[@]}" --province 440000 2>/dev/null | tail -1)
  printf '%s %.1f %.1f %s\n' "$secs" "$p_cpu" "$g_cpu" "$([ "$digest_p" = "$digest_g" ] && echo yes || echo NO)"
}

read -r plain_s plain_p plain_g plain_ok <<<"$(pull "http://127.0.0.1:$P_PORT" "" "")"
read -r tls_s tls_p tls_g tls_ok <<<"$(pull "https://127.0.0.1:$P_TLS" ",node.tls_port=$P_TLS" ",node.tls_port=$G_TLS")"

echo "## Exchange over mutual TLS against plain HTTP — \`bench/exchange_tls_bench.sh\` ($(date -u +%F))"
echo
echo "Machine: $(machine). nemis: $NEMIS. $STUDENTS students; the province's log: $head changes; batches of 10,000."
echo
echo "| catch-up of the whole log | seconds | changes/s | CPU s province | CPU s national | digests equal |"
echo "|---|---|---|---|---|---|"
echo "| plain HTTP, signed requests | $plain_s | $(echo "$head / $plain_s" | bc) | $plain_p | $plain_g | $plain_ok |"
echo "| mutual TLS 1.3 (P-256 certificates of the SM2 CA), signed requests | $tls_s | $(echo "$head / $tls_s" | bc) | $tls_p | $tls_g | $tls_ok |"
