#!/usr/bin/env bash
# The annual promotion (nemis registry promote) of N students (default 10 million, loaded
# from a `nemis gen` CSV with `nemis import`), on SQLite and on PostgreSQL, beside the
# floor a DBA would write by hand on the same store: one bare UPDATE of the grade (no
# graduation, no history, no change log, no open-case check). Then the same promotion
# run again (nothing left to do: the idempotent rerun). Prints a Markdown table.
set -euo pipefail
source "$(dirname "$0")/common.sh"
N="${1:-10000000}"
YEAR=2026

bench_build >&2  # the build's output is not part of the table
csv=$(bench_csv "$N")
sqlite_db="$BENCH_DIR/promote.db"
floor_sql="UPDATE student SET grade = grade + 1 WHERE status IN ('01', '05') AND grade < 12"

rm -f "$sqlite_db"*
"$NEMIS" import students "$csv" --db "sqlite:$sqlite_db" >/dev/null
cp "$sqlite_db" "$BENCH_DIR/floor.db"
t_floor_sqlite=$(seconds sqlite3 "$BENCH_DIR/floor.db" "$floor_sql")
rm -f "$BENCH_DIR"/floor.db*
t_sqlite=$(seconds "$NEMIS" registry promote --year $YEAR --db "sqlite:$sqlite_db")
t_sqlite_again=$(seconds "$NEMIS" registry promote --year $YEAR --db "sqlite:$sqlite_db")
promoted_sqlite=$(sqlite3 "$sqlite_db" "SELECT COUNT(*) FROM student WHERE promoted_year = $YEAR")

pg_start
pg_psql postgres -c "CREATE DATABASE nemis"
"$NEMIS" import students "$csv" --db "$(pg_url nemis)" >/dev/null
pg_psql nemis -c "VACUUM ANALYZE"
pg_psql postgres -c "CREATE DATABASE floor TEMPLATE nemis"
t_floor_pg=$(seconds pg_psql floor -c "$floor_sql")
pg_psql postgres -c "DROP DATABASE floor"
t_pg=$(seconds "$NEMIS" registry promote --year $YEAR --db "$(pg_url nemis)")
t_pg_again=$(seconds "$NEMIS" registry promote --year $YEAR --db "$(pg_url nemis)")
promoted_pg=$(pg_psql nemis -tA -c "SELECT COUNT(*) FROM student WHERE promoted_year = $YEAR")

cat <<MD
Promotion of $N students (\`nemis gen --seed 1\`, loaded with \`nemis import\`), $(date -u +%F), $(machine)

| store | run | seconds | students promoted or graduated |
|---|---|---|---|
| SQLite | bare UPDATE of the grade (floor: no graduation, history, change log, case check) | $t_floor_sqlite | |
| SQLite | nemis registry promote --year $YEAR | $t_sqlite | $promoted_sqlite |
| SQLite | the same again (nothing left: idempotent) | $t_sqlite_again | |
| PostgreSQL | bare UPDATE of the grade (floor) | $t_floor_pg | |
| PostgreSQL | nemis registry promote --year $YEAR | $t_pg | $promoted_pg |
| PostgreSQL | the same again (nothing left: idempotent) | $t_pg_again | |
MD
