# Shared by the benchmark scripts: the release binary, a scratch directory and a
# throwaway PostgreSQL 15 cluster.
# shellcheck shell=bash
BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$BENCH_ROOT/scripts/lib.sh"
BENCH_DIR="${BENCH_DIR:-$BENCH_ROOT/var/bench}"
# NEMIS_BENCH_BINARY: a nemis built already (e.g. build/src/cli/nemis, -O2) instead of the
# Release build bench_build makes; say which in RESULTS.md.
NEMIS="${NEMIS_BENCH_BINARY:-$BENCH_ROOT/build-release/src/cli/nemis}"
PG_BIN=/usr/lib/postgresql/15/bin
mkdir -p "$BENCH_DIR"

bench_build() {
  nemis_install_deps
  for tool in wrk bc; do
    command -v $tool >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $tool >/dev/null
  done
  [ -n "${NEMIS_BENCH_BINARY:-}" ] || nemis_build "$BENCH_ROOT/build-release" Release nemis
}

# bench_nemis_bin: NEMIS_BIN (a nemis built already; wrk installed if missing) or
# bench_build's Release build, as NEMIS.
bench_nemis_bin() {
  if [ -n "${NEMIS_BIN:-}" ]; then
    NEMIS="$NEMIS_BIN"
    command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    bench_build >/dev/null
  fi
}

# bench_csv N: the gen file with N students (made once).
bench_csv() {
  local csv="$BENCH_DIR/students-$1.csv"
  [ -s "$csv" ] || "$NEMIS" gen --students "$1" --seed 1 --out "$csv"
  echo "$csv"
}

# Starts a PostgreSQL cluster in $BENCH_DIR/pg on port $PG_PORT (default 55432), stopped on exit.
pg_start() {
  PG_PORT="${PG_PORT:-55432}"
  local dir="$BENCH_DIR/pg"
  rm -rf "$dir"
  mkdir -p "$dir"
  chown postgres "$dir"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$dir/data" -A trust -U postgres >/dev/null
  # PG_CPUS (e.g. "1"): the server and every backend it forks run on those CPUs only.
  # PG_STATS=1: pg_stat_statements, and auto_explain logging the plans of statements over
  # PG_STATS_MIN_MS (1000) in $dir/log; pg_top_statements prints what took the time.
  local stats=""
  [ -n "${PG_STATS:-}" ] && stats="-c shared_preload_libraries=pg_stat_statements,auto_explain \
-c pg_stat_statements.track=all -c auto_explain.log_min_duration=${PG_STATS_MIN_MS:-1000}"
  runuser -u postgres -- ${PG_CPUS:+taskset -c "$PG_CPUS"} "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-p $PG_PORT -k $dir -c listen_addresses=127.0.0.1 -c max_wal_size=4GB $stats" start >/dev/null
  trap pg_stop EXIT
}
pg_stop() { runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$BENCH_DIR/pg/data" -m fast stop >/dev/null 2>&1 || true; }
pg_url() { echo "postgresql://postgres@127.0.0.1:$PG_PORT/$1"; }
# pg_top_statements DB: with PG_STATS=1, the 15 statements that took most time in DB
# (counted from `CREATE EXTENSION pg_stat_statements` in it, or pg_stat_statements_reset()).
pg_top_statements() {
  psql -X -q "$(pg_url "$1")" -c "SELECT round(total_exec_time) AS ms, calls, rows, \
left(regexp_replace(query, '\\s+', ' ', 'g'), 150) AS statement FROM pg_stat_statements \
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '$1') ORDER BY total_exec_time DESC LIMIT 15"
}
pg_psql() { psql -X -q -v ON_ERROR_STOP=1 "$(pg_url "$1")" "${@:2}"; }

# seconds COMMAND...: runs it and prints the wall-clock seconds it took.
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

# bench_warm PATH...: reads the files (or every file under the directories) once, so that
# each server measured starts with its store in the OS page cache and no run pays for
# another's cold reads. The 10M-student stores fit in this machine's RAM.
bench_warm() { find "$@" -type f -exec cat {} + >/dev/null; }

machine() {
  echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, \
$(free -g | awk '/Mem:/{print $2}') GiB RAM, $(df -h "$BENCH_DIR" | awk 'NR==2{print $2}') disk, $(uname -r)"
}

# CPU over a run: the machine's busy share, and a process's CPU in cores ($server_pid, or
# this shell when unset), between cpu_start and cpu_stop (-> "busy% server_cores").
cpu_machine() { awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6}' /proc/stat; }
cpu_process() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
clock_ticks=$(getconf CLK_TCK)
cpu_start() { read -r cpu_t0 cpu_i0 <<<"$(cpu_machine)"; proc_t0=$(cpu_process "${server_pid:-self}"); wall0=$(date +%s.%N); }
cpu_stop() {
  local t1 i1 p1 wall1
  read -r t1 i1 <<<"$(cpu_machine)"
  p1=$(cpu_process "${server_pid:-self}")
  wall1=$(date +%s.%N)
  awk -v t="$((t1 - cpu_t0))" -v i="$((i1 - cpu_i0))" -v p="$((p1 - proc_t0))" -v hz="$clock_ticks" \
    -v w="$(echo "$wall1 - $wall0" | bc)" 'END {printf "%.0f%% %.2f", 100 * (1 - i / t), p / hz / w}' </dev/null
}

# serve LOG PORT SETTINGS...: `$NEMIS serve` in the background (its pid appended to the
# caller's pids), waiting up to 10 s for /healthz.
serve() {
  local log=$1 port=$2
  shift 2
  "$NEMIS" serve --port "$port" "$@" >"$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.1; done
  echo "server on $port did not start" >&2
  exit 1
}
# metric NAME: the value of NAME{source=...} on the node at $G_PORT.
metric() { curl -s "http://127.0.0.1:$G_PORT/metrics" | awk -v m="$1" '$1 ~ "^"m"\\{" {print $2}'; }

# exchange_node_settings NAME CODE ROLE [KEY DIR]: the --set value of one exchange node in the
# working directory: its SQLite store NAME.db, keys (NAME-keys unless given), field keys, audit
# key and spool; no statistics engine, no access log.
exchange_node_settings() {
  echo "store.url=sqlite:$1.db,node.key_dir=${4:-$1-keys},security.field_key_file=$1.keys,\
node.code=$2,node.role=$3,audit.signing_key_file=$1-audit.pem,\
audit.checkpoint_file=$1-audit-checkpoints.jsonl,stats.engine=false,log.access=false,\
server.spool_dir=$1-spool,log.level=warn"
}
# stop_started: kills what serve (and the caller) appended to pids, and waits for it.
stop_started() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
