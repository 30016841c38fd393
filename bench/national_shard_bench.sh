#!/usr/bin/env bash
# The national node on PostgreSQL, one server against partitioned by province with the
# province's students on a shard server (issue 12 §8, exchange/student_partitions.hpp), in one
# run on loopback:
# 1. Catch-up. A province of STUDENTS (300,000) made by `nemis gen` on SQLite, served by its
#    `nemis serve`; a national `nemis serve` pulls its whole log, first into a plain national
#    store, then into a national store sharded beforehand (`nemis national shard --province
#    440000=<shard>`), both on the same coordinator cluster, the shard on a second cluster.
#    Measured: time from the national node's start until its checkpoint is the province's last
#    change, as changes/s; digests compared with the province's. A first sharded pull into a
#    third store warms both clusters (their WAL segments) and is not counted.
# 2. A national count (by gender, students in school), as registry::CountStudents runs it at
#    the national root (NationalCountSql), on both stores: median of 5 runs; and the same count
#    without the per-province grouping on the sharded store (every row crossing to the
#    coordinator) — what the partitionwise plan saves.
#
# Usage: bench/national_shard_bench.sh
# Environment: NEMIS_BIN (a built nemis; else bench_build's Release build), STUDENTS,
# BENCH_DIR (var/bench/shards), PG_STATS=1 (then also the statements that took the national
# node's PostgreSQL most time, bench/common.sh). Prints Markdown; stops what it started on exit.
set -euo pipefail
export BENCH_DIR="${BENCH_DIR:-$(cd "$(dirname "$0")/.." && pwd)/var/bench/shards}"
source "$(dirname "$0")/common.sh"
STUDENTS="${STUDENTS:-300000}"
P_PORT=18391
G_PORT=18392
PG_PORT=55442
SHARD_PORT=55443
bench_nemis_bin
NEMIS=$(realpath "$NEMIS")
command -v sqlite3 >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 >/dev/null

cd "$BENCH_DIR"
rm -rf ./*
pids=()
shard_stop() { runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$BENCH_DIR/shard/data" -m fast stop >/dev/null 2>&1 || true; }
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pg_stop
  shard_stop
}
pg_start
trap cleanup EXIT
mkdir -p shard && chown postgres shard
runuser -u postgres -- "$PG_BIN/initdb" -D shard/data -A trust -U postgres >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D shard/data -l shard/log -w \
  -o "-p $SHARD_PORT -k $BENCH_DIR/shard -c listen_addresses=127.0.0.1 -c max_wal_size=4GB" start >/dev/null
shard_url="postgresql://postgres@127.0.0.1:$SHARD_PORT/guangdong"
psql -X -q "postgresql://postgres@127.0.0.1:$SHARD_PORT/postgres" -c "CREATE DATABASE guangdong"
psql -X -q "postgresql://postgres@127.0.0.1:$SHARD_PORT/postgres" -c "CREATE DATABASE warmup"
pg_psql postgres -c "CREATE DATABASE plain" -c "CREATE DATABASE sharded" -c "CREATE DATABASE warmup"
if [ -n "${PG_STATS:-}" ]; then
  for db in plain sharded; do pg_psql $db -c "CREATE EXTENSION pg_stat_statements"; done
fi

node_settings() {  # name code role store
  echo "store.url=$4,node.key_dir=$1-keys,security.field_key_file=$1.keys,\
node.code=$2,node.role=$3,audit.signing_key_file=$1-audit.pem,audit.checkpoint_file=$1-${4##*/}-checkpoints.jsonl,stats.engine=false,\
log.access=false,server.spool_dir=$1-spool,log.level=warn"
}
P=(--set "$(node_settings province 440000 provincial sqlite:province.db)")
G_PLAIN=(--set "$(node_settings national 000000 national "$(pg_url plain)")")
G_SHARDED=(--set "$(node_settings national 000000 national "$(pg_url sharded)")")
G_WARMUP=(--set "$(node_settings national 000000 national "$(pg_url warmup)")")

"$NEMIS" node init "${G_PLAIN[@]}" >/dev/null 2>&1
"$NEMIS" node init "${P[@]}" >province.pub 2>/dev/null
"$NEMIS" node issue "${G_PLAIN[@]}" --code 440000 --public-key province.pub >province.crt 2>/dev/null
"$NEMIS" node install "${P[@]}" --certificate province.crt --ca national-keys/ca.crt >/dev/null
# The sharded stores know the province by the same certificate.
for store in sharded warmup; do
  settings=("${G_SHARDED[@]}")
  [ $store = warmup ] && settings=("${G_WARMUP[@]}")
  "$NEMIS" migrate "${settings[@]}" >/dev/null 2>&1
  pg_psql plain -c "COPY exchange_node TO STDOUT" | pg_psql $store -c "COPY exchange_node FROM STDIN"
done
"$NEMIS" national shard "${G_SHARDED[@]}" --province "440000=$shard_url" >/dev/null 2>&1
"$NEMIS" national shard "${G_WARMUP[@]}" \
  --province "440000=postgresql://postgres@127.0.0.1:$SHARD_PORT/warmup" >/dev/null 2>&1
gen_s=$(seconds "$NEMIS" gen --students "$STUDENTS" --seed 1 --db sqlite:province.db "${P[@]}")
head=$(sqlite3 province.db "SELECT MAX(seq) FROM change_log")


serve province.log $P_PORT "${P[@]}"
digest_p=$("$NEMIS" exchange digest "${P[@]}" --province 440000 2>/dev/null | tail -1)

pull() {  # name settings... -> "seconds digest-equal"
  local name=$1 start s
  shift
  start=$(date +%s.%N)
  serve "$name.log" $G_PORT "$@" --set "exchange.sources=440000=http://127.0.0.1:$P_PORT"
  until [ "$(metric nemis_exchange_checkpoint)" = "$head" ]; do sleep 0.05; done
  s=$(echo "$(date +%s.%N) - $start" | bc)
  kill "${pids[-1]}"
  wait "${pids[-1]}" 2>/dev/null || true
  unset 'pids[-1]'
  local d
  d=$("$NEMIS" exchange digest "$@" --province 440000 2>/dev/null | tail -1)
  echo "$s $([ "$d" = "$digest_p" ] && echo yes || echo NO)"
}
# A first pull, not counted: both clusters make their WAL segments and the province's store
# is read once, so that neither measured pull pays for it.
read -r warmup_s _ <<<"$(pull warmup "${G_WARMUP[@]}")"
read -r plain_s plain_eq <<<"$(pull plain "${G_PLAIN[@]}")"
read -r sharded_s sharded_eq <<<"$(pull sharded "${G_SHARDED[@]}")"
on_shard=$(psql -X -qtA "$shard_url" -c "SELECT COUNT(*) FROM student_440000")

national_count="SELECT k1, CAST(SUM(n) AS BIGINT) FROM (SELECT s.province_code AS p, s.gender AS k1, \
COUNT(*) AS n FROM student s WHERE 1 = 1 AND s.status = '01' GROUP BY 1, 2) per_province GROUP BY 1 ORDER BY 1"
flat_count="SELECT s.gender, COUNT(*) FROM student s WHERE s.status = '01' GROUP BY 1 ORDER BY 1"
median_ms() {  # db sql
  for _ in 1 2 3 4 5; do
    pg_psql "$1" -c '\timing on' -c "$2" | awk '/^Time:/ {print $2}'
  done | sort -n | sed -n 3p
}
pg_psql sharded -c "ANALYZE student" -c "ANALYZE student_440000"
pg_psql plain -c "ANALYZE student"
plain_ms=$(median_ms plain "$national_count")
sharded_ms=$(median_ms sharded "$national_count")
flat_ms=$(median_ms sharded "$flat_count")
pushed=$(pg_psql sharded -c "EXPLAIN (VERBOSE) $national_count" | grep -c "Relations: Aggregate on" || true)

echo "## The national node partitioned by province, on loopback ($(date -u +%F))"
echo
echo "Machine: $(machine). nemis: $NEMIS. $STUDENTS students (gen ${gen_s} s); the province's log: $head changes."
echo
echo "| national store | catch-up s | changes/s | digest equal |"
echo "|---|---|---|---|"
echo "| PostgreSQL, one server | $plain_s | $(echo "$head / $plain_s" | bc) | $plain_eq |"
echo "| PostgreSQL partitioned by province, 440000 on a shard server (postgres_fdw) | $sharded_s | $(echo "$head / $sharded_s" | bc) | $sharded_eq |"
echo
echo "Students on the shard: $on_shard. A first (sharded) pull to warm both clusters, not counted: $warmup_s s."
echo
echo "| national count by gender (median of 5) | ms |"
echo "|---|---|"
echo "| one server (NationalCountSql) | $plain_ms |"
echo "| sharded (NationalCountSql: aggregate pushed to the shard, $pushed foreign aggregate) | $sharded_ms |"
echo "| sharded, grouped by gender only (every row crosses to the coordinator) | $flat_ms |"
if [ -n "${PG_STATS:-}" ]; then
  echo
  echo "Statements that took most time on the national node's cluster (PG_STATS):"
  for db in plain sharded; do
    echo
    echo "$db:"
    pg_top_statements $db
  done
fi
