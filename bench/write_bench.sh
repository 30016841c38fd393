#!/usr/bin/env bash
# Writes through the API under wrk at 1, 8, 32 and 64 connections (-t N -c N), on SQLite
# and PostgreSQL, each beside a FLOOR of the same single-row writes without validation,
# sealing, audit or HTTP, in the same run:
#   registration: POST /api/v1/students, every request a new, valid student with a unique
#     citizen ID (write_register.lua, write_ids.lua); floor: one INSERT per transaction of
#     a row of the same width (a registered student's row, with fresh blind-index keys)
#     into floor_student, a copy of the student table with its indexes and foreign key;
#   correction: PATCH /api/v1/students/{number} with If-Match, each connection changing
#     the class of its own student (write_correct.lua); floor: one UPDATE of the class,
#     version and time of a connection's own floor_student row, found by its blind index.
# The floors: SQLite, sqlite_floor.cpp (N threads, each its own connection, WAL,
# synchronous=FULL like NEMIS, taking turns to write); PostgreSQL, pgbench -n -c N -j 2 with pg_floor_insert.sql
# and pg_floor_update.sql. Registrations are made by school registrars (8 primary schools
# of a `nemis gen` province, one API token each; thread t is the registrar of school t % 8).
# Any answer but 201/200 counts as an error and marks the row invalid.
#
# Usage: bench/write_bench.sh [sqlite|postgresql|both] [DURATION seconds per point, 15]
# Environment: PIN=1 gives the store its own CPU as a data centre gives PostgreSQL its own
# server: the node, wrk and the floor clients run on CPU 0, the PostgreSQL server on CPU 1
# (SQLite, inside the node, gets CPU 0 with it); SKIP_FLOOR=1 measures the API rows only; CONNECTIONS (default "1 8 32 64");
# STUDENTS generated into each store first (200000); NEMIS_BIN measures that binary
# instead of building build-release; BENCH_DIR (var/bench/write), PORT (18187) and
# PG_PORT (55442), all its own. Prints a Markdown table per store; everything it started
# is stopped on exit.
set -euo pipefail
STORES="${1:-both}"
DURATION="${2:-15}"
case "$STORES" in sqlite | postgresql | both) ;; *) echo "usage: $0 [sqlite|postgresql|both] [DURATION]" >&2; exit 2 ;; esac
export BENCH_DIR="${BENCH_DIR:-$(cd "$(dirname "$0")/.." && pwd)/var/bench/write}"
source "$(dirname "$0")/common.sh"
CONNECTIONS="${CONNECTIONS:-1 8 32 64}"
ON_NODE_CPU=""  # the prefix that keeps a command on the node's CPU (PIN=1)
if [ -n "${PIN:-}" ]; then
  [ "$(nproc)" -ge 2 ] || { echo "PIN=1 needs two CPUs" >&2; exit 2; }
  ON_NODE_CPU="taskset -c 0"
  export PG_CPUS=1
fi
STUDENTS="${STUDENTS:-200000}"
PORT="${PORT:-18187}"
export PG_PORT="${PG_PORT:-55442}"
export BENCH_LUA_DIR="$BENCH_ROOT/bench"
URL="http://127.0.0.1:$PORT"
SCHOOL_COUNT=8
max_connections=$(echo "$CONNECTIONS" | tr ' ' '\n' | sort -n | tail -1)

server_pid="" pg_started=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$pg_started" ]; then pg_stop; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bench_nemis_bin
floor_bin="$BENCH_DIR/sqlite_floor"
if [ ! -x "$floor_bin" ] || [ "$BENCH_ROOT/bench/sqlite_floor.cpp" -nt "$floor_bin" ]; then
  g++ -O2 -std=c++20 -o "$floor_bin" "$BENCH_ROOT/bench/sqlite_floor.cpp" -lsqlite3 -pthread
fi
# nemis keeps its keys (var/keys) and spool relative to its working directory: ours.
cd "$BENCH_DIR"

# Each wrk run gets its own range of student numbers (write_ids.lua turns them into
# citizen IDs), so every ID is unique across the whole run; a thread a block of it. The
# SQLite floor's inserts get ranges of keys the same way (keys 1 .. connections are the
# rows its updates write). Taken by the caller: the runs themselves are in subshells.
run_span=$((DURATION * 20000 > 100000 ? DURATION * 20000 : 100000))
next_start=0 floor_next=1
take_range() { START=$next_start; next_start=$((next_start + run_span)); }
take_floor_range() { FLOOR_START=$floor_next; floor_next=$((floor_next + run_span)); }

to_ms() { awk '{v = $1; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0; else if (v ~ /s$/) v = v * 1000; printf "%.2f", v}'; }

# wrk_run LUA N START [SECONDS] -> "req/s p50_ms p99_ms errors busy server_cores" (errors:
# the script's count of unexpected answers plus wrk's socket errors; the first on stderr).
wrk_run() {
  local lua="$1" n="$2" out cpu errors socket
  cpu_start
  out=$(START=$3 BLOCK=$((run_span / n)) $ON_NODE_CPU wrk -t"$n" -c"$n" -d"${4:-$DURATION}s" --timeout 10s --latency \
    -s "$BENCH_ROOT/bench/$lua" "$URL")
  cpu=$(cpu_stop)
  errors=$(echo "$out" | awk '/^write_errors/{print $2}')
  socket=$(echo "$out" | awk '/Socket errors/{gsub(",", ""); print $4 + $6 + $8 + $10}')
  echo "$out" | grep -E '^write_(first_error|overflow|registered [1-9])' >&2 || true
  echo "$(echo "$out" | awk '/Requests\/sec/{print $2}') $(echo "$out" | awk '$1=="50%"{print $2}' | to_ms) \
$(echo "$out" | awk '$1=="99%"{print $2}' | to_ms) $((${errors:-1} + ${socket:-0})) $cpu"
}

# sqlite_floor_run MODE N START -> the same fields (no server: its CPU is 0).
sqlite_floor_run() {
  local mode="$1" n="$2" start="$3" sql out cpu
  if [ "$mode" = insert ]; then
    sql="$floor_insert_sql"
  else
    start=1; sql="UPDATE floor_student SET class_no = CAST(?4 % 20 + 1 AS TEXT), version = version + 1, \
updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE number_index = ?2"
  fi
  cpu_start
  out=$($ON_NODE_CPU "$floor_bin" "$BENCH_DIR/floor.db" "$n" "$DURATION" "$mode" "$start" "$sql")
  cpu=$(cpu_stop)
  read -r _ rps p50 p99 errors rest <<<"$out"
  [ -z "$rest" ] || echo "floor first error: $rest" >&2
  echo "$rps $p50 $p99 $errors $cpu"
}

# pg_floor_run MODE N -> the same fields (latencies from pgbench's per-transaction log).
pg_floor_run() {
  local mode="$1" n="$2" out cpu rc=0 logs="$BENCH_DIR/pgbench-log"
  rm -rf "$logs"; mkdir -p "$logs"
  if [ "$mode" = update ] && [ "$(pg_psql nemis -tA -c "SELECT count(*) FROM floor_student \
WHERE number_index IN (SELECT md5('n' || k) FROM generate_series(1, $n) k)")" != "$n" ]; then
    echo "the floor's update rows are missing (an insert run makes them)" >&2; echo "0 - - 1 - -"; return
  fi
  cpu_start
  out=$(cd "$logs" && $ON_NODE_CPU pgbench -n -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "$n" -j "$((n < 2 ? n : 2))" \
    -T "$DURATION" -l --log-prefix=tx -f "$BENCH_DIR/pg_floor_$mode.sql" nemis 2>&1) || rc=$?
  cpu=$(cpu_stop)
  local failed
  failed=$(echo "$out" | awk '/number of failed transactions/{print $5}')
  [ "$rc" = 0 ] || { echo "pgbench exited with $rc: $(echo "$out" | grep -m3 -i error)" >&2; failed=$((${failed:-0} + 1)); }
  local pct
  pct=$(cat "$logs"/tx.* | awk '$3 ~ /^[0-9]+$/ {print $3}' | sort -n |
    awk '{v[NR] = $1} END {if (NR) printf "%.2f %.2f", v[int(0.50 * (NR - 1)) + 1] / 1000, v[int(0.99 * (NR - 1)) + 1] / 1000}')
  echo "$(echo "$out" | awk '/^tps/{printf "%.0f", $3}') ${pct:-- -} ${failed:-0} $cpu"
}

# store_sql URL SQL: a query on the store, tab-separated rows.
store_sql() {
  if [[ "$1" == sqlite:* ]]; then sqlite3 -separator $'\t' "${1#sqlite:}" "$2"; else pg_psql nemis -tA -F $'\t' -c "$2"; fi
}

# Eight open primary schools, a school registrar with an API token for each.
make_registrars() {
  local url="$1" code token
  : >"$BENCH_DIR/schools.txt"
  for code in $(store_sql "$url" "SELECT code FROM org WHERE level = 4 AND school_type = '211' AND status = 'open' \
ORDER BY code LIMIT $SCHOOL_COUNT"); do
    "$NEMIS" user add "bench.writer.$code" --role school_registrar --org "$code" --db "$url" >/dev/null
    token=$("$NEMIS" token create "bench.writer.$code" --name write-bench --db "$url")
    echo "$code $token" >>"$BENCH_DIR/schools.txt"
  done
  [ "$(wc -l <"$BENCH_DIR/schools.txt")" = "$SCHOOL_COUNT" ] || { echo "fewer than $SCHOOL_COUNT primary schools" >&2; exit 1; }
}

# The floor tables, after the API warm-up: a copy of the student table (columns, indexes,
# foreign key to org) with the store's rows, and the INSERT of the newest registered row.
make_sqlite_floor() {
  local db="${1#sqlite:}" cols vals
  rm -f "$BENCH_DIR"/floor.db*
  {
    echo "ATTACH '$db' AS src;"
    sqlite3 "$db" "SELECT sql || ';' FROM sqlite_master WHERE name = 'org'"
    sqlite3 "$db" "SELECT replace(sql, 'CREATE TABLE student', 'CREATE TABLE floor_student') || ';' \
FROM sqlite_master WHERE type = 'table' AND name = 'student'"
    echo "INSERT INTO main.org SELECT * FROM src.org; INSERT INTO floor_student SELECT * FROM src.student;"
    sqlite3 "$db" "SELECT replace(replace(sql, ' INDEX ', ' INDEX floor_'), ' ON student', ' ON floor_student') || ';' \
FROM sqlite_master WHERE type = 'index' AND tbl_name = 'student' AND sql IS NOT NULL"
    echo "DETACH src; PRAGMA journal_mode=WAL; ANALYZE;"
  } | sqlite3 "$BENCH_DIR/floor.db" >/dev/null
  cols=$(sqlite3 "$db" "SELECT group_concat(name, ', ') FROM pragma_table_info('student') \
WHERE name NOT IN ('id', 'number_index', 'id_index')")
  vals=$(sqlite3 "$db" "$(sqlite3 "$db" "SELECT 'SELECT ' || group_concat('quote(' || name || ')', ' || '', '' || ') \
|| ' FROM student ORDER BY id DESC LIMIT 1' FROM pragma_table_info('student') \
WHERE name NOT IN ('id', 'number_index', 'id_index')")")
  floor_insert_sql="INSERT INTO floor_student ($cols, number_index, id_index) VALUES ($vals, ?2, ?3)"
}

make_pg_floor() {
  pg_psql nemis >/dev/null <<'SQL'
SET client_min_messages = warning;
DROP TABLE IF EXISTS floor_student;
DROP SEQUENCE IF EXISTS floor_key;
CREATE TABLE floor_student (LIKE student INCLUDING ALL);
INSERT INTO floor_student SELECT * FROM student;
SELECT setval(pg_get_serial_sequence('floor_student', 'id'), (SELECT max(id) FROM floor_student));
ALTER TABLE floor_student ADD FOREIGN KEY (school_id) REFERENCES org (id);
CREATE SEQUENCE floor_key;
VACUUM ANALYZE floor_student;
SQL
  local cols vals
  cols=$(pg_psql nemis -tA -c "SELECT string_agg(key, ', ') FROM (SELECT * FROM student ORDER BY id DESC LIMIT 1) s, \
json_each_text(row_to_json(s)) WHERE key NOT IN ('id', 'number_index', 'id_index')")
  vals=$(pg_psql nemis -tA -c "SELECT string_agg(quote_nullable(value), ', ') FROM (SELECT * FROM student ORDER BY id DESC \
LIMIT 1) s, json_each_text(row_to_json(s)) WHERE key NOT IN ('id', 'number_index', 'id_index')")
  echo "INSERT INTO floor_student ($cols, number_index, id_index) VALUES ($vals, md5('n' || nextval('floor_key')), \
md5('i' || currval('floor_key')));" >"$BENCH_DIR/pg_floor_insert.sql"
  cp "$BENCH_ROOT/bench/pg_floor_update.sql" "$BENCH_DIR/pg_floor_update.sql"
}

# The versions in STATE from the server: a correction still in flight when wrk stopped
# may have committed after the thread last read its student's ETag.
refresh_versions() {
  local tid number version class token answer
  sleep 1
  while read -r tid number version class; do
    token=$(sed -n "$((tid % SCHOOL_COUNT + 1))p" "$SCHOOLS" | cut -d' ' -f2)
    answer=$(curl -sf -H "Authorization: Bearer $token" "$URL/api/v1/students/$number")
    version=$(echo "$answer" | grep -o '"version":[0-9]*' | cut -d: -f2)
    class=$(echo "$answer" | grep -o '"classNo":"[^"]*"' | cut -d'"' -f4)
    echo "$tid $number $version $class"
  done <"$STATE" >"$STATE.new"
  mv "$STATE.new" "$STATE"
}

start_server() {
  $ON_NODE_CPU "$NEMIS" serve --db "$1" --port "$PORT" --set log.access=false >"$BENCH_DIR/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 150); do curl -sf "$URL/healthz" >/dev/null && return 0; sleep 0.2; done
  echo "nemis serve did not start: $(tail -5 "$BENCH_DIR/serve.log")" >&2
  exit 1
}
stop_server() { kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""; }

row() {  # row STORE OPERATION CLIENT N "rps p50 p99 errors busy cores" [FLOOR_RPS]
  local rps p50 p99 errors busy cores share="" valid=""
  read -r rps p50 p99 errors busy cores <<<"$5"
  [ -z "${6:-}" ] || [ "${6:-0}" = 0 ] || share=$(awk -v a="$rps" -v b="$6" 'BEGIN {printf "%.2f", a / b}')
  [ "$errors" = 0 ] || valid=" (invalid)"
  [ "$3" = API ] || cores=""
  echo "| $1 | $2 | $3 | $4 | $rps$valid | $p50 | $p99 | $errors | $busy | $cores | $share |"
}

measure_store() {  # measure_store LABEL URL
  local label="$1" url="$2" n api floor
  "$NEMIS" gen --students "$STUDENTS" --seed 1 --db "$url" >"$BENCH_DIR/gen.log" 2>&1
  make_registrars "$url"
  if [[ "$url" == sqlite:* ]]; then bench_warm "${url#sqlite:}"; else bench_warm "$BENCH_DIR/pg/data"; fi
  start_server "$url"
  export SCHOOLS="$BENCH_DIR/schools.txt" STATE="$BENCH_DIR/correct-state.txt"
  # Warm-up (not measured): registrations, then every correcting thread registers its student.
  take_range
  wrk_run write_register.lua 8 "$START" 5 >/dev/null
  rm -f "$STATE"
  take_range
  wrk_run write_correct.lua "$max_connections" "$START" 3 >/dev/null 2>&1
  if [ -z "${SKIP_FLOOR:-}" ]; then
    if [[ "$url" == sqlite:* ]]; then make_sqlite_floor "$url"; else make_pg_floor; fi
  fi
  for op in register correct; do
    for n in $CONNECTIONS; do
      take_range
      [ $op = register ] || refresh_versions "$url"
      api=$(wrk_run "write_$op.lua" "$n" "$START")
      floor=""
      if [ -z "${SKIP_FLOOR:-}" ]; then
        local mode=insert
        [ $op = register ] || mode=update
        take_floor_range
        [ $mode = insert ] || FLOOR_START=1
        if [[ "$url" == sqlite:* ]]; then floor=$(sqlite_floor_run $mode "$n" "$FLOOR_START")
        else floor=$(pg_floor_run $mode "$n"); fi
      fi
      local title="POST /api/v1/students"
      [ $op = register ] || title="PATCH /api/v1/students/{n}"
      row "$label" "$title" API "$n" "$api" "${floor%% *}"
      if [ -n "$floor" ]; then
        local ftitle="INSERT (floor)" client="sqlite_floor"
        [ $op = register ] || ftitle="UPDATE (floor)"
        [[ "$url" == sqlite:* ]] || client="pgbench"
        row "$label" "$ftitle" "$client" "$n" "$floor"
      fi
    done
  done
  stop_server
}

echo "Writes through the API, wrk -t N -c N -d${DURATION}s (server, clients and the store on the same machine), \
$(date -u +%F), $(machine)"
echo "$NEMIS, default settings (server.workers 8, store.pg_pool_size 8)${PIN:+; pinned: node, wrk and floor clients on CPU 0, the PostgreSQL server on CPU 1}; \
$STUDENTS generated students in each store; registrars of $SCHOOL_COUNT schools."
echo
echo "| store | operation | client | connections | req/s | p50 ms | p99 ms | errors | machine CPU busy | nemis CPU (cores) | API / floor |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
if [ "$STORES" != postgresql ]; then
  rm -f "$BENCH_DIR"/nemis.db*
  measure_store SQLite "sqlite:$BENCH_DIR/nemis.db"
fi
if [ "$STORES" != sqlite ]; then
  pg_start
  pg_started=1
  trap cleanup EXIT  # pg_start set its own
  pg_psql postgres -c "CREATE DATABASE nemis"
  measure_store PostgreSQL "$(pg_url nemis)"
fi
