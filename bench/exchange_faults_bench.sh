#!/usr/bin/env bash
# The exchange's faults at scale (issue 12 §7, "in bench/ at a large one"), in the manner of a
# Jepsen set test: two `nemis serve` on loopback (SQLite stores), the national node pulling a
# province of STUDENTS made by `nemis gen`, and something going wrong on the way. After each
# healing the script checks that nothing was lost, doubled or changed — `nemis exchange digest
# --province 440000` equal on both nodes (institutions and students), as many students on both
# stores and no number twice on the national one, no exchange_conflict row, the national
# checkpoint at the province's last change — and that the national checkpoint never moved
# backwards (sampled from its store every 0.25 s all along, and read before each kill and after
# each restart). It measures how long each healing took. Small-scale version:
# tests/integration/exchange_faults_test.cpp (it_exchange_faults).
#
# 0. Clean: an empty national store pulls the province's whole log; the time it takes is what
#    the faulted pulls are compared with.
# 1. National killed: another empty national store pulls the whole log; its `nemis serve` is
#    killed (SIGKILL) every KILL_EVERY s (counted from each restart; by default an eighth of
#    the clean pull, 1-10 s) at most KILLS (8) times and restarted on the same store.
# 2. Province killed: the same with a third empty national store, the province's `nemis serve`
#    killed and restarted.
# 3. Registering while killed: the national store of 1 (caught up) pulls while the province
#    registers EXTRA (STUDENTS/10) more students (a `nemis gen` roster of another seed through
#    `nemis import students --skip-invalid` into its store while it serves, commits of 5,000;
#    the few generated identity numbers the province holds already are refused), the province
#    killed every KILL_EVERY/2 s meanwhile (at least twice). Before this, the province's store
#    was copied (stopped cleanly): the backup of 4.
# 4. Restore: the province stopped, its store copied back from that backup (so it has lost the
#    students of 3), started; the national node refuses it (source_diverged); RESTORED (3,000)
#    other students registered (none of those lost); `nemis exchange reset --source 440000` on
#    the national node (running); it re-applies the restored log and then holds every province
#    student plus those lost; `nemis exchange recover --national URL` on the province takes
#    them back; then everything is equal again. Each step timed.
# 5. Cut connections: socat between the nodes, the national node restarted to pull through it;
#    the province registers EXTRA more students while every connection through socat is cut
#    (its children killed) every 200-400 ms for CUT_SECONDS (30) s, at least until the
#    registering ended and one cut met a live connection; then the cuts stop and the national
#    node catches up.
#
# Usage: bench/exchange_faults_bench.sh [STUDENTS]      (default 1000000)
# Environment: NEMIS_BIN (a built nemis, e.g. build/src/cli/nemis; else bench_build's Release
# build; copied into BENCH_DIR first, so a rebuild meanwhile does not change it), KILL_EVERY,
# KILLS, EXTRA, RESTORED, CUT_SECONDS, RETRY_MAX_MS (exchange.retry_max_ms of the national node;
# nemis's default, 5000, when unset), BENCH_DIR (var/bench/exchange-faults: the stores and
# every server's log stay there). Progress on stderr; Markdown on stdout; exits 1 when an
# invariant failed. Stops what it started on exit.
set -euo pipefail
export BENCH_DIR="${BENCH_DIR:-$(cd "$(dirname "$0")/.." && pwd)/var/bench/exchange-faults}"
source "$(dirname "$0")/common.sh"
STUDENTS="${1:-1000000}"
EXTRA="${EXTRA:-$((STUDENTS / 10 > 2000 ? STUDENTS / 10 : 2000))}"
RESTORED="${RESTORED:-3000}"
KILLS="${KILLS:-8}"
CUT_SECONDS="${CUT_SECONDS:-30}"
RETRY_MAX_MS="${RETRY_MAX_MS:-}"
P_PORT=18391
G_PORT=18392
X_PORT=18393 # socat
bench_nemis_bin
command -v sqlite3 >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 >/dev/null
command -v socat >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq socat >/dev/null
NEMIS_SOURCE=$(realpath "$NEMIS")

cd "$BENCH_DIR"
rm -rf ./*
cp "$NEMIS_SOURCE" ./nemis
NEMIS="$BENCH_DIR/nemis"
run_started=$(date -u '+%F %H:%M')

p_pid="" g_pid="" x_pid="" sampler_pid="" reg_pid=""
cleanup() {
  for p in $sampler_pid $reg_pid $x_pid $g_pid $p_pid; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

say() { echo "[$(date +%T)] $*" >&2; }
now() { date +%s.%N; }
since() { printf '%.1f' "$(echo "$(now) - $1" | bc)"; }
ge() { [ "$(echo "$1 >= $2" | bc)" = 1 ]; }

P="$(exchange_node_settings province 440000 provincial)"
G() { exchange_node_settings "$1" 000000 national national-keys; } # a national store by name
G_PULL() { # the national node's settings when it serves: pulling the province at port $2
  echo "$(G "$1"),exchange.sources=440000=http://127.0.0.1:${2:-$P_PORT}${RETRY_MAX_MS:+,exchange.retry_max_ms=$RETRY_MAX_MS}"
}

sql() { sqlite3 -cmd ".timeout 20000" "$@"; }
checkpoint() { sql "$1.db" "SELECT COALESCE(MAX(last_seq), 0) FROM exchange_checkpoint WHERE source = '440000'"; }
head_seq() { sql province.db "SELECT COALESCE(MAX(seq), 0) FROM change_log"; }
students() { sql "$1.db" "SELECT COUNT(*) FROM student WHERE province_code = '440000'"; }
metric() { { curl -s -m 5 "http://127.0.0.1:$G_PORT/metrics" || true; } | awk -v m="$1" '$1 ~ "^"m"\\{" {print $2}'; }
digest() { "$NEMIS" exchange digest --set "$1" --province 440000 2>/dev/null; }

# roster NAME SEED COUNT [EXCLUDE.csv]: NAME.csv, COUNT students of `nemis gen --seed SEED` (made
# before the clock starts), without the identity documents EXCLUDE.csv has. Generated numbers of
# different seeds coincide now and then (a few hundred in 100,000 against a million): the
# import refuses those rows (one person, one number) and registers the others.
roster() {
  "$NEMIS" gen --students "$3" --seed "$2" --out "$1.csv" >/dev/null
  if [ -n "${4:-}" ]; then
    awk -F, 'NR == FNR { if (FNR > 1) seen[$8] = 1; next } FNR == 1 || !($8 in seen)' "$4" "$1.csv" >"$1.tmp"
    mv "$1.tmp" "$1.csv"
  fi
}
# register NAME [SETTINGS]: `nemis import students NAME.csv --skip-invalid` into the province's
# store while it serves (in the background: its pid in $reg_pid); then registered NAME waits for
# it and sets $n_registered to how many it registered (-1: the import did not finish).
register() {
  "$NEMIS" import students "$1.csv" --skip-invalid --set "$P${2:+,$2}" --report "$1-report.json" \
    >"$1-import.out" 2>&1 &
  reg_pid=$!
}
registering() { kill -0 "$reg_pid" 2>/dev/null; }
registered() {
  wait "$reg_pid" || true
  reg_pid=""
  n_registered=-1
  if grep -q '"status":"done"' "$1-report.json" 2>/dev/null; then
    n_registered=$(grep -o '"importedRows":[0-9]*' "$1-report.json" | cut -d: -f2)
  fi
}

# serve LOG PORT SETTINGS: a `nemis serve` in the background (its pid in $served), up when its
# /healthz answers.
serve() {
  "$NEMIS" serve --port "$2" --set "$3" >>"$1" 2>&1 &
  served=$!
  for _ in $(seq 1200); do
    curl -sf -m 2 "http://127.0.0.1:$2/healthz" >/dev/null && return
    kill -0 "$served" 2>/dev/null || { say "nemis serve on $2 exited; see $BENCH_DIR/$1"; exit 1; }
    sleep 0.1
  done
  say "nemis serve on $2 did not answer in 120 s"
  exit 1
}
province_up() { serve province.log $P_PORT "$P"; p_pid=$served; }
national_up() { serve "national-$1.log" $G_PORT "$(G_PULL "$1" "${2:-}")"; g_pid=$served; }
stop() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
kill9() { kill -KILL "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# A national store of its own (same node identity, field keys of its own) that knows the
# province by the certificate national.db issued.
fresh_national() {
  "$NEMIS" node issue --set "$(G "$1")" --code 440000 --public-key province.pub >/dev/null 2>&1
  sql "$1.db" "DELETE FROM exchange_node; ATTACH 'national.db' AS n; \
INSERT INTO exchange_node SELECT * FROM n.exchange_node;"
}

# The checkpoint of national store $1 every 0.25 s into $2 ("time checkpoint").
sampler_start() {
  (while :; do echo "$(now) $(checkpoint "$1" 2>/dev/null || echo -)" >>"$2"; sleep 0.25; done) &
  sampler_pid=$!
}
sampler_stop() { kill "$sampler_pid" 2>/dev/null || true; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=""; }
# Prints how often the sampled checkpoint went back (0: never), with the first case.
backwards() {
  awk '$2 ~ /^[0-9]+$/ { if (seen && $2 + 0 < last) { n++; if (n == 1) w = last " -> " $2 } last = $2 + 0; seen = 1 }
       END { printf "%d%s", n, (n ? " (" w ")" : "") }' "$1"
}

caught_up() { # national store
  local h c
  h=$(head_seq)
  c=$(checkpoint "$1")
  [ "$c" = "$h" ] && [ "$(metric nemis_exchange_checkpoint)" = "$h" ] && [ "$(metric nemis_exchange_backlog)" = 0 ]
}
wait_caught_up() { # national store [limit s]
  local limit=$(($(date +%s) + ${2:-7200}))
  until caught_up "$1"; do
    [ "$(date +%s)" -lt "$limit" ] || { say "the national node ($1) did not catch up"; return 1; }
    sleep 0.2
  done
}

# The invariants: one row each in $checks ("scenario|invariant|ok or FAIL|detail").
checks=()
failed=0
check() { # scenario invariant condition-status(0 = holds) detail
  local r=ok
  [ "$3" = 0 ] || { r=FAIL; failed=$((failed + 1)); }
  checks+=("$1|$2|$r|$4")
  say "$1: $2: $r ($4)"
}
holds() { if "$@"; then echo 0; else echo 1; fi; }
eq() { [ "$1" = "$2" ]; }

# After a healing: both digests equal, the counts equal, no number twice, no conflict, the
# checkpoint at the province's head; the digests' time into $digest_s.
verify_healed() { # scenario national-store
  local s=$1 t dp dg np ng nd nc
  t=$(now)
  digest "$P" >digest-province.txt &
  dp=$!
  digest "$(G "$2")" >digest-national.txt
  wait "$dp" || true
  digest_s=$(since "$t")
  dp=$(cat digest-province.txt)
  dg=$(cat digest-national.txt)
  np=$(students province)
  ng=$(students "$2")
  nd=$(sql "$2.db" "SELECT COUNT(DISTINCT number_index) FROM student WHERE province_code = '440000'")
  nc=$(sql "$2.db" "SELECT COUNT(*) FROM exchange_conflict")
  check "$s" "digests equal (institutions, students)" "$(holds eq "$dp" "$dg")" \
    "$(echo "$dg" | awk '{printf "%s%s %s %.12s…", (NR > 1 ? "; " : ""), $1, $2, $3}')"
  check "$s" "students equal, none twice" "$(holds eq "$np/$np" "$ng/$nd")" \
    "province $np, national $ng ($nd numbers)"
  check "$s" "no exchange_conflict" "$(holds eq "$nc" 0)" "$nc rows"
  check "$s" "checkpoint = province head" "$(holds eq "$(checkpoint "$2")" "$(head_seq)")" "$(head_seq)"
}

# fault_loop SCENARIO WHO STORE EVERY MAX DONE: kills WHO's `nemis serve` (national: the one on
# STORE; province) with SIGKILL every EVERY s counted from its restart, at most MAX times,
# until DONE (a command) holds; restarts it on the same store each time. A row per kill in
# SCENARIO-kills.txt: the kill, the checkpoint before it, after the restart, the seconds from
# the kill until the node answered again and until the national checkpoint passed where it was
# (or the national node was caught up). The kills so far in $kills_done.
fault_loop() {
  local s=$1 who=$2 store=$3 every=$4 max=$5 done=$6 due before after tk up
  kills_done=0
  : >"$s-kills.txt"
  while :; do
    due=$(echo "$(now) + $every" | bc)
    until $done || ge "$(now)" "$due"; do sleep 0.1; done
    if $done || [ "$kills_done" -ge "$max" ]; then return 0; fi
    kills_done=$((kills_done + 1))
    before=$(checkpoint "$store")
    tk=$(now)
    if [ "$who" = national ]; then
      kill9 "$g_pid"
      national_up "$store"
    else
      kill9 "$p_pid"
      province_up
    fi
    up=$(since "$tk")
    after=$(checkpoint "$store")
    until [ "$(checkpoint "$store")" -gt "$before" ] || caught_up "$store"; do sleep 0.05; done
    echo "$kills_done $before $after $up $(since "$tk")" >>"$s-kills.txt"
    say "$s: kill $kills_done of the $who at checkpoint $before; answering again after $up s, checkpoint $after"
  done
}
# "N|back up p50/max, next batch p50/max" from a kills file.
kill_summary() {
  printf 'SIGKILL ×%d|' "$(wc -l <"$1")"
  sort -k4 -n "$1" | awk '{a[NR] = $4} END {if (NR) printf "answering again p50 %.1f s, max %.1f s; ", a[int((NR + 1) / 2)], a[NR]}'
  sort -k5 -n "$1" | awk '{a[NR] = $5} END {if (NR) printf "checkpoint past the kill p50 %.1f s, max %.1f s", a[int((NR + 1) / 2)], a[NR]}'
}
# The checkpoint read after each restart was never behind the one read before its kill.
kills_forward() { awk '$3 < $2 {n++} END {exit n > 0}' "$1"; }

rows=() # the summary table: "scenario|faults|healing|total|clean"

# --- Setup: both identities, the province generated ---------------------------------------
say "setup: $STUDENTS students"
"$NEMIS" node init --set "$(G national)" >/dev/null 2>&1
"$NEMIS" node init --set "$P" >province.pub 2>/dev/null
"$NEMIS" node issue --set "$(G national)" --code 440000 --public-key province.pub >province.crt 2>/dev/null
"$NEMIS" node install --set "$P" --certificate province.crt --ca national-keys/ca.crt >/dev/null
fresh_national clean
t=$(now)
"$NEMIS" gen --students "$STUDENTS" --seed 1 --db sqlite:province.db --set "$P" >/dev/null
gen_s=$(since "$t")
head0=$(head_seq)
say "setup: generated in $gen_s s; the province's log: $head0 changes"
province_up

# --- 0. Clean pull ------------------------------------------------------------------------
say "0: clean pull"
t=$(now)
national_up clean
wait_caught_up clean
clean_s=$(since "$t")
verify_healed "0 clean" clean
stop "$g_pid"
rows+=("0. clean pull of the whole log ($head0 changes)|none|— (both digests: $digest_s s)|$clean_s ($(echo "$head0 / $clean_s" | bc) changes/s)|1×")
KILL_EVERY="${KILL_EVERY:-$(echo "e = $clean_s / 8; if (e < 1) e = 1; if (e > 10) e = 10; e" | bc -l | xargs printf '%.1f')}"
say "kills every $KILL_EVERY s"

# --- 1. The national node killed mid-pull -------------------------------------------------
say "1: national node killed mid-pull"
sampler_start national s1-checkpoints.txt
t=$(now)
national_up national
fault_loop s1 national national "$KILL_EVERY" "$KILLS" "caught_up national"
wait_caught_up national
s1_s=$(since "$t")
sampler_stop
check "1 national killed" "checkpoint never went back" \
  "$(holds eq "$(backwards s1-checkpoints.txt)" 0)" "$(wc -l <s1-checkpoints.txt) samples, $(backwards s1-checkpoints.txt) back"
check "1 national killed" "checkpoint after each restart ≥ before its kill" "$(holds kills_forward s1-kills.txt)" \
  "$(awk '{printf "%s%d→%d", (NR > 1 ? ", " : ""), $2, $3}' s1-kills.txt)"
verify_healed "1 national killed" national
stop "$g_pid"
rows+=("1. national node SIGKILLed mid-pull every $KILL_EVERY s, restarted on its store|$(kill_summary s1-kills.txt)|$s1_s|$(echo "scale=2; $s1_s / $clean_s" | bc)×")

# --- 2. The province killed mid-pull ------------------------------------------------------
say "2: province killed mid-pull"
fresh_national killedp
sampler_start killedp s2-checkpoints.txt
t=$(now)
national_up killedp
fault_loop s2 province killedp "$KILL_EVERY" "$KILLS" "caught_up killedp"
wait_caught_up killedp
s2_s=$(since "$t")
sampler_stop
s2_failures=$(metric nemis_exchange_failures)
check "2 province killed" "checkpoint never went back" \
  "$(holds eq "$(backwards s2-checkpoints.txt)" 0)" "$(wc -l <s2-checkpoints.txt) samples, $(backwards s2-checkpoints.txt) back"
check "2 province killed" "checkpoint after each restart ≥ before its kill" "$(holds kills_forward s2-kills.txt)" \
  "$(awk '{printf "%s%d→%d", (NR > 1 ? ", " : ""), $2, $3}' s2-kills.txt)"
verify_healed "2 province killed" killedp
stop "$g_pid"
rows+=("2. province SIGKILLed mid-pull every $KILL_EVERY s, restarted ($s2_failures failed pulls)|$(kill_summary s2-kills.txt)|$s2_s|$(echo "scale=2; $s2_s / $clean_s" | bc)×")

# --- The backup for 4: the province stopped cleanly, its store copied ---------------------
stop "$p_pid"
mkdir backup
cp province.db* backup/
backup_head=$(head_seq)
backup_students=$(students province)
province_up

# --- 3. Registering while the province is killed ------------------------------------------
say "3: $EXTRA students registered at the province while it is killed"
national_up national
wait_caught_up national
sampler_start national s3-checkpoints.txt
roster s3 2 "$EXTRA"
t=$(now)
register s3 import.batch_rows=5000
s3_done() { [ "$kills_done" -ge 2 ] && ! registering && caught_up national; }
# At least two kills while (or just after) it registers, then every KILL_EVERY/2 s until healed.
s3_every=$(echo "$KILL_EVERY / 2" | bc -l | xargs printf '%.1f')
fault_loop s3 province national "$s3_every" "$KILLS" s3_done
registered s3
s3_registered=$n_registered
wait_caught_up national
s3_s=$(since "$t")
sampler_stop
check "3 registering, province killed" "the import finished" "$(holds [ "$s3_registered" -gt 0 ])" \
  "$(grep -m1 导入 s3-import.out || true)"
check "3 registering, province killed" "province holds all its students" \
  "$(holds eq "$(students province)" $((backup_students + s3_registered)))" \
  "$(students province) = $backup_students + $s3_registered"
check "3 registering, province killed" "checkpoint never went back" \
  "$(holds eq "$(backwards s3-checkpoints.txt)" 0)" "$(wc -l <s3-checkpoints.txt) samples, $(backwards s3-checkpoints.txt) back"
check "3 registering, province killed" "checkpoint after each restart ≥ before its kill" "$(holds kills_forward s3-kills.txt)" \
  "$(awk '{printf "%s%d→%d", (NR > 1 ? ", " : ""), $2, $3}' s3-kills.txt)"
verify_healed "3 registering, province killed" national
rows+=("3. $s3_registered students registered (import, commits of 5,000) while the national node pulls, the province SIGKILLed every $s3_every s|$(kill_summary s3-kills.txt)|$s3_s (from the registering's start)|—")

# --- 4. The province restored from the older backup ----------------------------------------
say "4: the province restored from the backup"
applied=$(checkpoint national)
national_before=$(students national)
diverged_before=$(grep -c source_diverged national-national.log || true)
sampler_start national s4-checkpoints-before-reset.txt
t=$(now)
stop "$p_pid"
rm -f province.db province.db-wal province.db-shm
cp backup/province.db* .
province_up
restore_s=$(since "$t")
# Refused: source_diverged in the national node's log, the checkpoint where it was.
t=$(now)
until [ "$(grep -c source_diverged national-national.log || true)" -gt "$diverged_before" ]; do
  ge "$(echo "$(now) - $t" | bc)" 300 && break
  sleep 0.1
done
refused_s=$(since "$t")
roster s4 3 "$RESTORED" s3.csv # none of the students it lost
t=$(now)
register s4
registered s4
s4_registered=$n_registered
gen4_s=$(since "$t")
restored_head=$(head_seq)
check "4 restore" "$RESTORED others registered after the restore" "$(holds [ "$s4_registered" -gt 0 ])" "$(grep -m1 导入 s4-import.out || true)"
sleep 3 # still refused a few seconds on
sampler_stop
check "4 restore" "the national node refused the restored province (source_diverged)" \
  "$(holds [ "$(grep -c source_diverged national-national.log || true)" -gt "$diverged_before" ])" \
  "$(grep -m1 -o '"code":"source_diverged"[^}]*' national-national.log | cut -c1-150)"
check "4 restore" "checkpoint kept while refused, never back" \
  "$(holds eq "$(checkpoint national)/$(backwards s4-checkpoints-before-reset.txt)" "$applied/0")" \
  "$(checkpoint national) (applied $applied; restored province head $restored_head)"
check "4 restore" "nothing applied while refused" "$(holds eq "$(students national)" "$national_before")" "$(students national) students"
t=$(now)
"$NEMIS" exchange reset --set "$(G national)" --source 440000 >s4-reset.out 2>&1
reset_s=$(since "$t")
sampler_start national s4-checkpoints-after-reset.txt
until [ "$(checkpoint national)" -gt 0 ]; do sleep 0.05; done
first_batch_s=$(since "$t")
wait_caught_up national
repull_s=$(since "$t")
sampler_stop
lost=$(($(students national) - $(students province)))
check "4 restore" "after the reset: every province student on the national node, plus those lost" \
  "$(holds eq "$lost" "$s3_registered")" "national $(students national) - province $(students province) = $lost (lost with the restore: $s3_registered)"
check "4 restore" "after the reset: no exchange_conflict" "$(holds eq "$(sql national.db 'SELECT COUNT(*) FROM exchange_conflict')" 0)" \
  "$(sql national.db 'SELECT COUNT(*) FROM exchange_conflict') rows"
check "4 restore" "after the reset: checkpoint never went back" \
  "$(holds eq "$(backwards s4-checkpoints-after-reset.txt)" 0)" "$(wc -l <s4-checkpoints-after-reset.txt) samples"
sampler_start national s4-checkpoints-after-recover.txt
t=$(now)
"$NEMIS" exchange recover --set "$P" --national "http://127.0.0.1:$G_PORT" >s4-recover.out 2>&1 || true
recover_s=$(since "$t")
check "4 restore" "recover took back the lost students" \
  "$(holds grep -q "学生恢复 $s3_registered 名" s4-recover.out)" "$(tr '\n' ' ' <s4-recover.out | cut -c1-160)"
t=$(now)
wait_caught_up national
recover_pull_s=$(since "$t")
sampler_stop
check "4 restore" "after the recovery: checkpoint never went back" \
  "$(holds eq "$(backwards s4-checkpoints-after-recover.txt)" 0)" "$(wc -l <s4-checkpoints-after-recover.txt) samples"
verify_healed "4 restore" national
rows+=("4. province restored from a backup (log head $backup_head) $s3_registered students old, $s4_registered others registered|restore (stop, copy, start) $restore_s s; refused (source_diverged) $refused_s s after the restart; $s4_registered registered in $gen4_s s; reset $reset_s s|first batch $first_batch_s s after the reset, whole restored log ($restored_head) re-applied in $repull_s s; recover $recover_s s, its $s3_registered students pulled back in $recover_pull_s s|$(echo "$restore_s + $refused_s + $repull_s + $recover_s + $recover_pull_s" | bc)|—")

# --- 5. Connections cut every 200-400 ms -----------------------------------------------------
say "5: connections cut"
stop "$g_pid"
socat "TCP-LISTEN:$X_PORT,fork,reuseaddr,bind=127.0.0.1" "TCP:127.0.0.1:$P_PORT" 2>socat.log &
x_pid=$!
national_up national $X_PORT
wait_caught_up national
sampler_start national s5-checkpoints.txt
failures_before=$(metric nemis_exchange_failures)
start5=$(checkpoint national)
roster s5 4 "$EXTRA"
t=$(now)
register s5 import.batch_rows=5000
cuts=0 rounds=0
RANDOM=12 # the same schedule each run
# (and on until a cut met a live connection, at most 300 s more)
until ! registering && ge "$(echo "$(now) - $t" | bc)" "$CUT_SECONDS" &&
  { [ "$cuts" -gt 0 ] || ge "$(echo "$(now) - $t" | bc)" "$((CUT_SECONDS + 300))"; }; do
  sleep "0.$((200 + RANDOM % 201))" 2>/dev/null || sleep 0.3
  rounds=$((rounds + 1))
  for c in $(pgrep -P "$x_pid" || true); do kill -KILL "$c" 2>/dev/null && cuts=$((cuts + 1)); done
done
cut_s=$(since "$t")
registered s5
s5_registered=$n_registered
at_heal=$(checkpoint national)
head_at_heal=$(head_seq)
failures_cut=$(echo "$(metric nemis_exchange_failures) - $failures_before" | bc)
t=$(now)
wait_caught_up national
heal5_s=$(since "$t")
sampler_stop
check "5 cut connections" "the import finished" "$(holds [ "$s5_registered" -gt 0 ])" "$(grep -m1 导入 s5-import.out || true)"
check "5 cut connections" "connections were cut" "$(holds [ "$cuts" -gt 0 ])" "$cuts connections in $rounds rounds; $failures_cut failed pulls"
check "5 cut connections" "checkpoint never went back" \
  "$(holds eq "$(backwards s5-checkpoints.txt)" 0)" "$(wc -l <s5-checkpoints.txt) samples, $(backwards s5-checkpoints.txt) back"
verify_healed "5 cut connections" national
rows+=("5. $s5_registered students registered, every connection through socat cut every 200-400 ms for $cut_s s|$cuts connections cut in $rounds rounds, $failures_cut failed pulls; $((at_heal - start5)) of $((head_at_heal - start5)) changes applied while cutting|caught up $heal5_s s after the cuts stopped|$(echo "$cut_s + $heal5_s" | bc)|—")
stop "$g_pid"
stop "$p_pid"
kill "$x_pid" 2>/dev/null || true
wait "$x_pid" 2>/dev/null || true
x_pid=""

# --- The table ------------------------------------------------------------------------------
echo "## Exchange faults at scale — \`bench/exchange_faults_bench.sh $STUDENTS\` ($run_started–$(date -u '+%H:%M') UTC)"
echo
echo "Machine: $(machine). nemis: $NEMIS_SOURCE. $STUDENTS students (gen $gen_s s); kills every $KILL_EVERY s, at most $KILLS; exchange.retry_max_ms ${RETRY_MAX_MS:-5000 (default)}."
echo
echo "| scenario | faults | healing | total s | vs clean |"
echo "|---|---|---|---|---|"
for r in "${rows[@]}"; do echo "| ${r//|/ | } |"; done
echo
echo "Per kill (kill, checkpoint before, after the restart, s until the node answered, s until the checkpoint passed where it was):"
echo
for s in s1 s2 s3; do echo "- $s: $(awk '{printf "%s%s", (NR > 1 ? "; " : ""), $0}' "$s-kills.txt")"; done
echo
echo "| scenario | invariant | result | detail |"
echo "|---|---|---|---|"
for c in "${checks[@]}"; do echo "| ${c//|/ | } |"; done
echo
if [ "$failed" -gt 0 ]; then
  echo "**$failed invariant(s) failed.** Stores and logs: $BENCH_DIR"
  exit 1
fi
echo "All ${#checks[@]} invariants held."
