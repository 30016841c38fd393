#!/usr/bin/env bash
# The statistics engine at a large province's scale (default 30 million students, a
# `nemis gen --seed 1` file imported into the store): what the store and the engine take — the
# store on disk, the engine's projection, the peak resident memory of the process that loads
# it (the goal: store and engine of a 30M-student node in 8 GiB of RAM) — how long the
# import and the load take, the issue's ad hoc group-by and the grouping 教基3112 reads, each
# from the engine and from the store's SQL GROUP BY beside it (checked equal), the ad hoc
# group-by in DuckDB (npm @duckdb/node-api, the same file loaded in memory), and the
# province's 教基3112 now, filled six times (the first with the node's load).
#
# STORE=sqlite (default: $BENCH_DIR/stats-N.db, kept and reused) or STORE=postgres (a
# throwaway cluster of common.sh, removed at the end). At 30M the two stores do not fit this
# machine's disk side by side (SQLite about 29 GB, PostgreSQL about 1.24 GB per million
# students, plus the 8.7 GB file): run one, remove it, run the other. Prints Markdown.
#
# Usage: [STORE=sqlite|postgres] bench/stats_scale.sh [N]
set -euo pipefail
source "$(dirname "$0")/common.sh"
N="${1:-30000000}"
STORE="${STORE:-sqlite}"

bench_build >&2
csv=$(bench_csv "$N")
today=$(TZ=Asia/Shanghai date +%F)

# peak COMMAND...: runs it; prints "<wall seconds> s, peak RSS <MiB> MiB" (GNU time).
peak() {
  /usr/bin/time -f '%e %M' -o "$BENCH_DIR/time.txt" "$@" >"$BENCH_DIR/out.txt" 2>&1
  awk '{printf "%.1f s, peak RSS %d MiB", $1, $2 / 1024}' "$BENCH_DIR/time.txt"
}

case "$STORE" in
  sqlite)
    db="$BENCH_DIR/stats-$N.db"
    url="sqlite:$db"
    import_line="(the store was made earlier: ${IMPORT_LINE:-not timed here})"
    [ -s "$db" ] || import_line=$(peak "$NEMIS" import students "$csv" --db "$url")
    store_size() { du -cm "$db"* | tail -1 | cut -f1; }
    ;;
  postgres)
    pg_start
    pg_psql postgres -c "CREATE DATABASE nemis"
    url=$(pg_url nemis)
    import_line=$(peak "$NEMIS" import students "$csv" --db "$url")
    pg_psql nemis -c "VACUUM ANALYZE"
    store_size() { pg_psql nemis -At -c "SELECT pg_database_size('nemis') / 1048576"; }
    ;;
  *) echo "STORE is sqlite or postgres" >&2; exit 2 ;;
esac

load_line=$(peak "$NEMIS" stats check --db "$url" --by stage)
load_report=$(grep -m1 '"event":"stats_loaded"' "$BENCH_DIR/out.txt")
check_line=$("$NEMIS" stats check --db "$url" --org 440000 --by county,grade,gender,leftBehind 2>/dev/null | tail -1)
# The grouping 教基3112 is filled from when it is counted (its conditions' dimensions, every status).
form_by=stage,status,grade,gender,ethnicity,migrantChild,leftBehind,boarding,hukouType,urbanRural
form_check_line=$("$NEMIS" stats check --db "$url" --org 440000 --all --by "$form_by" 2>/dev/null | tail -1)
form_line=$(peak "$NEMIS" stats form 教基3112 --db "$url" --org 440000 --as-of "$today" --repeat 6 --out /dev/null)
(cd "$BENCH_ROOT/bench/duckdb" && npm ci --no-audit --no-fund >/dev/null 2>&1)
duckdb_version=$(node -p "require('$BENCH_ROOT/bench/duckdb/node_modules/@duckdb/node-api/package.json').version")
duckdb_line=$(node "$BENCH_ROOT/bench/duckdb/groupby.mjs" "$csv")
fills=$(grep '"event":"stats_form_filled"' "$BENCH_DIR/out.txt" | sed -E 's/.*"seconds":([0-9.e-]+).*/\1/' |
  awk '{printf "%s%.6f", (NR > 1 ? ", " : ""), $1}')

cat <<MD
Statistics engine on $N students (\`nemis gen --seed 1\`, $STORE), $(date -u +%F), $(machine)

| step | figure |
|---|---|
| \`nemis import students\` (first load) | $import_line |
| store on disk | $(store_size) MiB |
| \`nemis stats check --by stage\` (load + one count) | $load_line |
| the load, as it reports itself | $load_report |
| county × grade × gender × 留守儿童 of 440000, engine and SQL | $check_line |
| the same group-by in DuckDB $duckdb_version (in memory, the file's four columns; best of three) | $duckdb_line |
| 教基3112's grouping of 440000 ($form_by, every status), engine and SQL | $form_check_line |
| \`nemis stats form 教基3112 --org 440000 --as-of $today --repeat 6\` (load + six fills) | $form_line |
| the six fills, seconds | $fills |
MD
