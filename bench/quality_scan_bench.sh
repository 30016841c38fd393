#!/usr/bin/env bash
# The record-quality scan (nemis registry scan: suspected duplicates by blocking keys and
# scores, problem records, stored idempotently) of N students (default 10 million, loaded
# from a `nemis gen` CSV with `nemis import`), on SQLite and on PostgreSQL, beside what a
# DBA would write by hand on the same store: one GROUP BY on name + birth date + gender
# (exact duplicates only, counted, nothing stored), and the self-join listing those pairs.
# Then the scan again (the idempotent rescan: every finding refreshed, nothing added).
# Prints a Markdown table; the scan's own report goes to $BENCH_DIR/quality-*.txt.
set -euo pipefail
source "$(dirname "$0")/common.sh"
N="${1:-10000000}"

bench_build >&2  # the build's output is not part of the table
csv=$(bench_csv "$N")
sqlite_db="$BENCH_DIR/quality.db"
in_registry="status IN ('01', '02', '04', '05', '12')"
group_sql="SELECT COUNT(*), COALESCE(SUM(n), 0) FROM (SELECT COUNT(*) AS n FROM student WHERE $in_registry GROUP BY name, birth_date, gender HAVING COUNT(*) > 1) g"
join_sql="SELECT COUNT(*) FROM student a JOIN student b ON a.name = b.name AND a.birth_date = b.birth_date AND a.gender = b.gender AND a.id < b.id WHERE a.$in_registry AND b.$in_registry"

# scan STORE_URL REPORT: the scan's wall-clock seconds; its report kept.
scan() {
  local start end
  start=$(date +%s.%N)
  "$NEMIS" registry scan --db "$1" >"$2" 2>/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

rm -f "$sqlite_db"*
t_import_sqlite=$(seconds "$NEMIS" import students "$csv" --db "sqlite:$sqlite_db")
bench_warm "$sqlite_db"
t_group_sqlite=$(seconds sqlite3 "$sqlite_db" "$group_sql")
groups_sqlite=$(sqlite3 "$sqlite_db" "$group_sql")
t_join_sqlite=$(seconds sqlite3 "$sqlite_db" "$join_sql")
pairs_sqlite=$(sqlite3 "$sqlite_db" "$join_sql")
t_sqlite=$(scan "sqlite:$sqlite_db" "$BENCH_DIR/quality-sqlite.txt")
t_sqlite_again=$(scan "sqlite:$sqlite_db" "$BENCH_DIR/quality-sqlite-again.txt")
found_sqlite=$(sqlite3 "$sqlite_db" "SELECT kind || ' ' || COUNT(*) FROM problem_record GROUP BY kind ORDER BY kind" | paste -sd, -)

pg_start
pg_psql postgres -c "CREATE DATABASE nemis"
t_import_pg=$(seconds "$NEMIS" import students "$csv" --db "$(pg_url nemis)")
pg_psql nemis -c "VACUUM ANALYZE"
t_group_pg=$(seconds pg_psql nemis -c "$group_sql")
groups_pg=$(pg_psql nemis -tA -F'|' -c "$group_sql")
t_join_pg=$(seconds pg_psql nemis -c "$join_sql")
pairs_pg=$(pg_psql nemis -tA -c "$join_sql")
t_pg=$(scan "$(pg_url nemis)" "$BENCH_DIR/quality-pg.txt")
t_pg_again=$(scan "$(pg_url nemis)" "$BENCH_DIR/quality-pg-again.txt")
found_pg=$(pg_psql nemis -tA -c "SELECT string_agg(kind || ' ' || n, ',' ORDER BY kind) FROM (SELECT kind, COUNT(*) AS n FROM problem_record GROUP BY kind) k")

cat <<MD
Record-quality scan of $N students (\`nemis gen --seed 1\`, loaded with \`nemis import\`: SQLite $t_import_sqlite s, PostgreSQL $t_import_pg s), $(date -u +%F), $(machine)

| store | run | seconds | result |
|---|---|---|---|
| SQLite | GROUP BY name, birth_date, gender HAVING COUNT(*) > 1 (exact only, nothing stored) | $t_group_sqlite | groups, students: $groups_sqlite |
| SQLite | self-join listing the exact pairs | $t_join_sqlite | pairs: $pairs_sqlite |
| SQLite | nemis registry scan (all kinds, scored, stored) | $t_sqlite | $found_sqlite |
| SQLite | the same again (idempotent rescan) | $t_sqlite_again | |
| PostgreSQL | GROUP BY name, birth_date, gender HAVING COUNT(*) > 1 | $t_group_pg | groups, students: $groups_pg |
| PostgreSQL | self-join listing the exact pairs | $t_join_pg | pairs: $pairs_pg |
| PostgreSQL | nemis registry scan | $t_pg | $found_pg |
| PostgreSQL | the same again (idempotent rescan) | $t_pg_again | |
MD
