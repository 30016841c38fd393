#!/usr/bin/env bash
# Province → national exchange on loopback (issue 12 §8), SQLite stores, two `nemis serve`.
#
# 1. Catch-up. A province of STUDENTS (1,000,000) made by `nemis gen`; both nodes' identities
#    (nemis node init/issue/install); the province's node serves it; the national node starts
#    from an empty store with the province as its source and pulls its whole log. Measured:
#    the time from the national node's start until its nemis_exchange_checkpoint equals the
#    province's last change, as changes/s. Beside it, in the same run: the same pull of plain
#    batches (exchange.compress=false: envelope v1, what a province predating v2 sends) into a
#    third store, and in batches of 10,000 (the former default) into a fourth; what an operator could
#    do instead to carry the same rows: the offline bundle (nemis exchange export, then import
#    into another empty national store: the same batches through a file), and the floor, a
#    plain copy of the student table with sqlite3 (.dump piped into a new file: no signature,
#    no sealing for the receiver, no natural keys, no one-person-one-number check); and the
#    national store's own floor: the rows the pull wrote, copied by sqlite3 (INSERT ... SELECT,
#    one transaction, the node's pragmas) into an empty national store, so through the same
#    indexes, history trigger and change log, with no exchange at all.
# 2. Steady load. RATE changes/s (10,000) for DURATION s (30) written into the province's
#    store by sqlite3 (rounds every 50 ms, each changing the class of as many students as
#    the time since the start asks for, logged in the same transaction as the registry logs
#    its writes), the national node pulling. Every second a
#    probe changes one marked student's class at the province and times until the national
#    store shows it (the end-to-end lag); /metrics' backlog and lag are sampled every 100 ms.
#
# Usage: bench/exchange_bench.sh
# Environment: NEMIS_BIN (a built nemis; else bench_build's Release build), STUDENTS, RATE,
# DURATION, BENCH_DIR (var/bench/exchange). Prints Markdown; stops what it started on exit.
set -euo pipefail
export BENCH_DIR="${BENCH_DIR:-$(cd "$(dirname "$0")/.." && pwd)/var/bench/exchange}"
source "$(dirname "$0")/common.sh"
STUDENTS="${STUDENTS:-1000000}"
RATE="${RATE:-10000}"
DURATION="${DURATION:-30}"
P_PORT=18291
G_PORT=18292
PLAIN_PORT=18293
bench_nemis_bin
NEMIS=$(realpath "$NEMIS")  # the script works in $BENCH_DIR
command -v sqlite3 >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 >/dev/null

cd "$BENCH_DIR"
rm -rf ./*
pids=()
trap stop_started EXIT

P=(--set "$(exchange_node_settings province 440000 provincial)")
G=(--set "$(exchange_node_settings national 000000 national)")
G2=(--set "$(exchange_node_settings bundle 000000 national national-keys)")
G3=(--set "$(exchange_node_settings plain 000000 national national-keys)")
G4=(--set "$(exchange_node_settings small 000000 national national-keys)")

"$NEMIS" node init "${G[@]}" >/dev/null 2>&1
"$NEMIS" node init "${P[@]}" >province.pub 2>/dev/null
"$NEMIS" node issue "${G[@]}" --code 440000 --public-key province.pub >province.crt 2>/dev/null
"$NEMIS" node issue "${G2[@]}" --code 440000 --public-key province.pub >/dev/null 2>&1
"$NEMIS" node issue "${G3[@]}" --code 440000 --public-key province.pub >/dev/null 2>&1
"$NEMIS" node issue "${G4[@]}" --code 440000 --public-key province.pub >/dev/null 2>&1
"$NEMIS" node install "${P[@]}" --certificate province.crt --ca national-keys/ca.crt >/dev/null
# The second national store (for the bundle) knows the province by the first certificate.
for store in bundle plain small; do
  sqlite3 $store.db "DELETE FROM exchange_node; ATTACH 'national.db' AS n; \
INSERT INTO exchange_node SELECT * FROM n.exchange_node;"
done
cp national.db floor.db  # empty, for the store's own floor
gen_s=$(seconds "$NEMIS" gen --students "$STUDENTS" --seed 1 --db sqlite:province.db "${P[@]}")
head=$(sqlite3 province.db "SELECT MAX(seq) FROM change_log")


serve province.log $P_PORT "${P[@]}"
start=$(date +%s.%N)
serve national.log $G_PORT "${G[@]},exchange.sources=440000=http://127.0.0.1:$P_PORT"
until [ "$(metric nemis_exchange_checkpoint)" = "$head" ]; do sleep 0.05; done
online_s=$(echo "$(date +%s.%N) - $start" | bc)
national_pid=${pids[-1]}
p_cpu=$(cpu_process "${pids[0]}")
g_cpu=$(cpu_process "$national_pid")
digest_p=$("$NEMIS" exchange digest "${P[@]}" --province 440000 2>/dev/null | tail -1)
digest_g=$("$NEMIS" exchange digest "${G[@]}" --province 440000 2>/dev/null | tail -1)

# other_pull NAME SETTINGS: the same pull into the store NAME.db (the province's node serving
# it, the first national node idle), with SETTINGS added; sets pull_s, pull_p_cpu,
# pull_g_cpu and pull_digest.
other_pull() {
  local store=$1 settings=$2 p_cpu0 pid
  p_cpu0=$(cpu_process "${pids[0]}")
  local started
  started=$(date +%s.%N)
  serve "$store.log" $PLAIN_PORT "--set" "$(exchange_node_settings "$store" 000000 national national-keys),exchange.sources=440000=http://127.0.0.1:$P_PORT,$settings"
  until [ "$(G_PORT=$PLAIN_PORT metric nemis_exchange_checkpoint)" = "$head" ]; do sleep 0.05; done
  pull_s=$(echo "$(date +%s.%N) - $started" | bc)
  pid=${pids[-1]}
  pull_p_cpu=$(($(cpu_process "${pids[0]}") - p_cpu0))
  pull_g_cpu=$(cpu_process "$pid")
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pull_digest=$("$NEMIS" exchange digest --set "$(exchange_node_settings "$store" 000000 national national-keys)" \
    --province 440000 2>/dev/null | tail -1)
}
# Plain (v1) batches, what a province predating v2 sends; then batches of 10,000 (the default
# before 50,000: a transaction each).
other_pull plain exchange.compress=false
plain_s=$pull_s p_cpu_plain=$pull_p_cpu g_cpu_plain=$pull_g_cpu digest_plain=$pull_digest
other_pull small exchange.batch_changes=10000
small_s=$pull_s p_cpu_small=$pull_p_cpu g_cpu_small=$pull_g_cpu digest_small=$pull_digest

export_s=$(seconds "$NEMIS" exchange export "${P[@]}" --after 0 --to province.bundle \
  --receiver national-keys/node.crt)
import_s=$(seconds "$NEMIS" exchange import "${G2[@]}" province.bundle)
copy_s=$(seconds bash -c "sqlite3 province.db '.dump student' | sqlite3 copy.db")
store_floor_s=$(seconds sqlite3 floor.db "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
PRAGMA cache_size=-262144; PRAGMA mmap_size=1073741824; PRAGMA wal_autocheckpoint=10000;
ATTACH 'national.db' AS n; BEGIN;
INSERT INTO org SELECT * FROM n.org WHERE id NOT IN (SELECT id FROM main.org);
INSERT INTO student SELECT * FROM n.student;
INSERT INTO change_log SELECT * FROM n.change_log WHERE seq NOT IN (SELECT seq FROM main.change_log);
COMMIT;")

count=$(sqlite3 province.db "SELECT COUNT(*) FROM student")
pct() { sort -n "$1" | awk -v p="$2" '{a[NR]=$1} END {i=int(NR*p/100); if (i<1) i=1; if (i>NR) i=NR; printf "%.3f", a[i]}'; }
echo "## Exchange, province → national on loopback ($(date -u +%F))"
echo
echo "Machine: $(machine). nemis: $NEMIS. $STUDENTS students (gen ${gen_s} s); the province's log: $head changes."
echo
echo "| carrying the province's whole log | seconds | changes/s |"
echo "|---|---|---|"
echo "| online pull (nemis serve → nemis serve, batches of 50,000) | $online_s | $(echo "$head / $online_s" | bc) |"
echo "| online pull of plain batches (exchange.compress=false: envelope v1) | $plain_s | $(echo "$head / $plain_s" | bc) |"
echo "| online pull in batches of 10,000 (exchange.batch_changes=10000, the former default) | $small_s | $(echo "$head / $small_s" | bc) |"
echo "| offline bundle: export | $export_s | $(echo "$head / $export_s" | bc) |"
echo "| offline bundle: import | $import_s | $(echo "$head / $import_s" | bc) |"
echo "| sqlite3 .dump of the student table into a new file (floor: no signature, sealing or keys) | $copy_s | $(echo "$count / $copy_s" | bc) |"
echo "| the national store's own floor: the pulled rows copied by sqlite3 into an empty national store (its indexes, history, change log; no exchange) | $store_floor_s | $(echo "$count / $store_floor_s" | bc) |"
echo
echo "CPU seconds over the online pull: province $(echo "$p_cpu / $clock_ticks" | bc), national $(echo "$g_cpu / $clock_ticks" | bc); of plain batches: province $(echo "$p_cpu_plain / $clock_ticks" | bc), national $(echo "$g_cpu_plain / $clock_ticks" | bc); in batches of 10,000: province $(echo "$p_cpu_small / $clock_ticks" | bc), national $(echo "$g_cpu_small / $clock_ticks" | bc)."
echo "Digests equal after the pull: $([ "$digest_p" = "$digest_g" ] && echo yes || echo NO) ($digest_g); after the plain pull: $([ "$digest_p" = "$digest_plain" ] && echo yes || echo NO); after the pull in batches of 10,000: $([ "$digest_p" = "$digest_small" ] && echo yes || echo NO)."
echo

# 2. Steady load against the caught-up pair.
# Writes RATE changes a second, catching up on its own pace: each round writes what the time
# since the start asks for (sqlite3's start-up is part of every round).
load() {
  local start written=0 due from n
  start=$(date +%s%N)
  local end=$((start / 1000000000 + DURATION))
  while [ "$(date +%s)" -lt "$end" ]; do
    due=$((($(date +%s%N) - start) * RATE / 1000000000))
    n=$((due - written))
    if [ "$n" -gt 0 ]; then
      from=$(((written % (count - n - 2)) + 2))
      sqlite3 -cmd ".timeout 5000" province.db "BEGIN IMMEDIATE;
UPDATE student SET class_no = printf('%02d', $written % 20 + 1), version = version + 1
 WHERE id BETWEEN $from AND $((from + n - 1));
INSERT INTO change_log (seq, entity, entity_id, op, changed_at)
 SELECT (SELECT last FROM change_seq) + id - $from + 1, 'student', id, 'U',
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
 FROM student WHERE id BETWEEN $from AND $((from + n - 1));
UPDATE change_seq SET last = last + $n;
COMMIT;" >/dev/null
      written=$due
    fi
    sleep 0.05
  done
}
probe() {  # every second: a marked class at the province, timed until the national store has it
  local k=0 t0 marker school waited
  school=$(sqlite3 province.db "SELECT school_code FROM student WHERE id = 1")
  local gid
  gid=$(sqlite3 national.db "SELECT id FROM org WHERE code = '$school'")
  [ -n "$gid" ] || { echo "the probe's school $school is not on the national node" >&2; return 1; }
  local end=$(($(date +%s) + DURATION))
  while [ "$(date +%s)" -lt "$end" ]; do
    k=$((k + 1))
    marker="P$k"
    sqlite3 -cmd ".timeout 5000" province.db "BEGIN IMMEDIATE;
UPDATE student SET class_no = '$marker' WHERE id = 1;
INSERT INTO change_log (seq, entity, entity_id, op, changed_at)
 SELECT last + 1, 'student', 1, 'U', strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM change_seq;
UPDATE change_seq SET last = last + 1;
COMMIT;"
    t0=$(date +%s.%N)
    waited=0
    until [ "$(sqlite3 -cmd '.timeout 5000' national.db "SELECT COUNT(*) FROM student WHERE school_id = $gid AND class_no = '$marker'")" = 1 ]; do
      sleep 0.01
      waited=$((waited + 1))
      [ $waited -lt 6000 ] || { echo "the probe's change $marker did not arrive in 60 s" >&2; return 1; }
    done
    echo "$(date +%s.%N) - $t0" | bc >>probe.txt
    sleep 1
  done
}
sampler() {
  local end=$(($(date +%s) + DURATION))
  while [ "$(date +%s)" -lt "$end" ]; do
    echo "$(metric nemis_exchange_backlog) $(metric nemis_exchange_lag_seconds)" >>samples.txt
    sleep 0.1
  done
}
: >probe.txt
: >samples.txt
head_before=$(sqlite3 province.db "SELECT MAX(seq) FROM change_log")
load &
load_pid=$!
probe &
probe_pid=$!
sampler &
sampler_pid=$!
wait $load_pid $probe_pid $sampler_pid
head_after=$(sqlite3 province.db "SELECT MAX(seq) FROM change_log")
until [ "$(metric nemis_exchange_checkpoint)" = "$head_after" ]; do sleep 0.05; done
written=$((head_after - head_before))

echo "Steady load: $written changes in ${DURATION} s ($((written / DURATION))/s) written at the province."
echo "End-to-end lag of a change (probe, $(wc -l <probe.txt) samples): p50 $(pct probe.txt 50) s, p95 $(pct probe.txt 95) s, max $(pct probe.txt 100) s."
echo "Backlog sampled every 100 ms: p50 $(awk '{print $1}' samples.txt | pct /dev/stdin 50 2>/dev/null || true), max $(awk '{print $1}' samples.txt | sort -n | tail -1)."
