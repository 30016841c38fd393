#!/usr/bin/env bash
# The annual promotion (nemis registry promote) of N students (default 10 million, loaded
# from a `nemis gen` CSV with `nemis import`), on SQLite and on PostgreSQL, beside the
# floor a DBA would write by hand on the same store: one bare UPDATE of the grade (no
# graduation, no history, no change log, no open-case check). Every student of the file is
# in school, so the run also graduates the final grades (the schools' July work, which the
# promotion finishes for those not done): the run's two phases are timed apart, the
# graduates (one row each, with a history row) and the promotion proper (each school counts
# one more promotion; the grades are derived, registry/current_grade.hpp). Then the same run
# again (nothing left to do: the idempotent rerun). Prints a Markdown table.
set -euo pipefail
source "$(dirname "$0")/common.sh"
N="${1:-10000000}"
YEAR=2026

bench_build >&2  # the build's output is not part of the table
csv=$(bench_csv "$N")
sqlite_db="$BENCH_DIR/promote.db"
floor_sql="UPDATE student SET grade = grade + 1 WHERE status IN ('01', '05') AND grade < 12"

# promote URL OUT: runs the promotion, its report in OUT; prints the seconds.
promote() {
  local start end
  start=$(date +%s.%N)
  "$NEMIS" registry promote --year $YEAR --db "$1" >"$2" 2>/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
# phase OUT WORD: the phase's seconds from the report's 用时 line (毕业 or 升级（各校）).
phase() { grep '^用时' "$1" | sed -E "s/.*$2 ([0-9.e+-]+) 秒.*/\\1/"; }
# counts OUT: "promoted, graduated" from the report's first line.
counts() { sed -nE '1s/.*升级 ([0-9]+)，毕业 ([0-9]+).*/\1 promoted, \2 graduated/p' "$1"; }

rm -f "$sqlite_db"*
"$NEMIS" import students "$csv" --db "sqlite:$sqlite_db" >/dev/null
cp "$sqlite_db" "$BENCH_DIR/floor.db"
t_floor_sqlite=$(seconds sqlite3 "$BENCH_DIR/floor.db" "$floor_sql")
rm -f "$BENCH_DIR"/floor.db*
t_sqlite=$(promote "sqlite:$sqlite_db" "$BENCH_DIR/promote-sqlite.txt")
t_sqlite_again=$(promote "sqlite:$sqlite_db" "$BENCH_DIR/promote-sqlite-again.txt")

pg_start
pg_psql postgres -c "CREATE DATABASE nemis"
"$NEMIS" import students "$csv" --db "$(pg_url nemis)" >/dev/null
pg_psql nemis -c "VACUUM ANALYZE"
pg_psql postgres -c "CREATE DATABASE floor TEMPLATE nemis"
t_floor_pg=$(seconds pg_psql floor -c "$floor_sql")
pg_psql postgres -c "DROP DATABASE floor"
t_pg=$(promote "$(pg_url nemis)" "$BENCH_DIR/promote-pg.txt")
t_pg_again=$(promote "$(pg_url nemis)" "$BENCH_DIR/promote-pg-again.txt")

row() {  # row STORE WHOLE AGAIN OUT FLOOR
  cat <<MD
| $1 | bare UPDATE of the grade (floor: no graduation, history, change log, case check) | $5 | |
| $1 | \`nemis registry promote --year $YEAR\`, the whole run | $2 | $(counts "$4") |
| $1 | of which the graduates written (phase 1) | $(phase "$4" 毕业) | |
| $1 | of which the promotion proper, every school once (phase 2) | $(phase "$4" '升级（各校）') | |
| $1 | the same run again (nothing left: idempotent) | $3 | |
MD
}

cat <<MD
Promotion of $N students (\`nemis gen --seed 1\`, loaded with \`nemis import\`), $(date -u +%F), $(machine)

| store | run | seconds | students |
|---|---|---|---|
$(row SQLite "$t_sqlite" "$t_sqlite_again" "$BENCH_DIR/promote-sqlite.txt" "$t_floor_sqlite")
$(row PostgreSQL "$t_pg" "$t_pg_again" "$BENCH_DIR/promote-pg.txt" "$t_floor_pg")
MD
