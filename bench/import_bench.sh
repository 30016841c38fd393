#!/usr/bin/env bash
# Import N students (default 10 million) from a `nemis gen` CSV into SQLite and into
# PostgreSQL with `nemis import` (full validation, duplicate checks, change log; into
# an empty registry, so as a first load), beside `sqlite3 .import` and `psql \copy` of
# the same file into an equivalently indexed table, and into the bare table with the
# indexes built afterwards (what NEMIS does on a first load), in the same run. Prints
# a Markdown table.
set -euo pipefail
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/raw_table.sh"
N="${1:-10000000}"

bench_build
csv=$(bench_csv "$N")
size=$(du -h "$csv" | cut -f1)

rm -f "$BENCH_DIR"/raw.db* "$BENCH_DIR"/nemis.db*
{ raw_table_sql "$csv"; raw_index_sql; } | sqlite3 "$BENCH_DIR/raw.db"
t_sqlite3=$(seconds sqlite3 "$BENCH_DIR/raw.db" ".mode csv" ".import --skip 1 $csv raw_student")
rm -f "$BENCH_DIR"/raw.db*
raw_table_sql "$csv" | sqlite3 "$BENCH_DIR/raw.db"
t_sqlite3_after=$(seconds sqlite3 "$BENCH_DIR/raw.db" ".mode csv" ".import --skip 1 $csv raw_student" \
  "PRAGMA threads=$(nproc)" "$(raw_index_sql)")
rm -f "$BENCH_DIR"/raw.db*
t_nemis_sqlite=$(seconds "$NEMIS" import students "$csv" --db "sqlite:$BENCH_DIR/nemis.db")
rows_sqlite=$(sqlite3 "$BENCH_DIR/nemis.db" "SELECT COUNT(*) FROM student")

pg_start
pg_psql postgres -c "CREATE DATABASE raw" -c "CREATE DATABASE raw_after" -c "CREATE DATABASE nemis"
{ raw_table_sql "$csv" "rid bigserial PRIMARY KEY"; raw_index_sql; } | pg_psql raw
raw_table_sql "$csv" "rid bigserial PRIMARY KEY" | pg_psql raw_after
cols=$(head -1 "$csv" | sed 's/^\xEF\xBB\xBF//; s/\([^,]*\)/"\1"/g')
copy="\\copy raw_student ($cols) FROM '$csv' WITH (FORMAT csv, HEADER true)"
t_psql=$(seconds pg_psql raw -c "$copy")
t_psql_after=$(seconds pg_psql raw_after -c "$copy" -c "SET maintenance_work_mem = '1GB'" -c "$(raw_index_sql)")
pg_psql postgres -c "DROP DATABASE raw" -c "DROP DATABASE raw_after"
t_nemis_pg=$(seconds "$NEMIS" import students "$csv" --db "$(pg_url nemis)")
rows_pg=$(pg_psql nemis -tA -c "SELECT COUNT(*) FROM student")

ratio() { echo "scale=2; $1 / $2" | bc; }
rate() { echo "$N / $1" | bc; }
cat <<MD
Import of $N students ($size CSV from \`nemis gen --seed 1\`), $(date -u +%F), $(machine)

| store | tool | seconds | rows/s | rows in store | NEMIS speed / raw tool |
|---|---|---|---|---|---|
| SQLite | sqlite3 .import (no validation) | $t_sqlite3 | $(rate "$t_sqlite3") | | |
| SQLite | sqlite3 .import, indexes built after | $t_sqlite3_after | $(rate "$t_sqlite3_after") | | |
| SQLite | nemis import students | $t_nemis_sqlite | $(rate "$t_nemis_sqlite") | $rows_sqlite | $(ratio "$t_sqlite3" "$t_nemis_sqlite") |
| PostgreSQL | psql \\copy (no validation) | $t_psql | $(rate "$t_psql") | | |
| PostgreSQL | psql \\copy, indexes built after | $t_psql_after | $(rate "$t_psql_after") | | |
| PostgreSQL | nemis import students | $t_nemis_pg | $(rate "$t_nemis_pg") | $rows_pg | $(ratio "$t_psql" "$t_nemis_pg") |
MD
