#!/usr/bin/env bash
# The statistics engine (stats/stats_engine.hpp) on N students (default 10 million, a
# `nemis gen --seed 1` file loaded with `nemis import`), on SQLite and on PostgreSQL: the
# load of the projection (seconds, memory), then the same counts from the engine and as
# the SQL GROUP BY a node without it runs (registry::CountStudents), side by side in one
# `nemis stats check` each, and the form 教基3112 of the province, now; then the ad hoc
# group-by (county × grade × gender × 留守儿童) in DuckDB (npm @duckdb/node-api, the same
# CSV loaded into memory) beside the engine's. Prints Markdown.
set -euo pipefail
source "$(dirname "$0")/common.sh"
N="${1:-10000000}"

bench_build >&2
csv=$(bench_csv "$N")
sqlite_db="$BENCH_DIR/stats.db"
today=$(TZ=Asia/Shanghai date +%F)

# check URL ARGS...: one `nemis stats check` line as a table row.
check() {
  local url=$1
  shift
  "$NEMIS" stats check --db "$url" "$@" 2>/dev/null | tail -1 |
    sed -E 's/^([^ ]+) 按 ([^：]+)：引擎 ([0-9.]+) 秒，数据库 SQL ([0-9.]+) 秒，([^（]+)（([0-9]+) 行，合计 ([0-9]+)）/| \1 | \2 | \3 | \4 | \5 | \6 | \7 |/'
}
# load URL: the load line of `nemis stats check` (students, seconds, MiB).
load() { "$NEMIS" stats check --db "$1" --by stage 2>/dev/null | head -1; }
# form URL: seconds to fill 教基3112 for the province now (the engine loaded first).
form() { seconds "$NEMIS" stats form 教基3112 --db "$1" --org 440000 --as-of "$today"; }

store() {  # store URL LABEL
  cat <<MD

**$2**: $(load "$1")

| root | grouped by | engine s | SQL s | result | rows | students |
|---|---|---|---|---|---|---|
$(check "$1" --by grade)
$(check "$1" --org 440000 --by grade,gender)
$(check "$1" --org 440100 --by org,grade,gender,leftBehind)
$(check "$1" --by school,grade,classNo)
$(check "$1" --by status --all)
$(check "$1" --by county,grade,gender,leftBehind)

\`nemis stats form 教基3112 --org 440000\` (now: loads the engine, then fills the form): $(form "$1") s
MD
}

[ -s "$sqlite_db" ] || "$NEMIS" import students "$csv" --db "sqlite:$sqlite_db" >/dev/null 2>&1
pg_start
pg_psql postgres -c "CREATE DATABASE nemis"
"$NEMIS" import students "$csv" --db "$(pg_url nemis)" >/dev/null 2>&1
pg_psql nemis -c "VACUUM ANALYZE"

echo "Statistics engine on $N students (\`nemis gen --seed 1\`), $(date -u +%F), $(machine)"
store "sqlite:$sqlite_db" SQLite
store "$(pg_url nemis)" PostgreSQL

(cd "$BENCH_ROOT/bench/duckdb" && npm ci --no-audit --no-fund >/dev/null 2>&1)
cat <<MD

**DuckDB** $(node -p "require('$BENCH_ROOT/bench/duckdb/node_modules/@duckdb/node-api/package.json').version"), the same group-by
(county × grade × gender × 留守儿童) over the same CSV loaded into memory, best of three:
$(node "$BENCH_ROOT/bench/duckdb/groupby.mjs" "$csv")
MD
