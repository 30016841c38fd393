#!/usr/bin/env bash
# The annual form of a past point in time, as a running node answers it: 教基3112 of the
# province as of 1 September, filled five times in one `nemis stats form --repeat 5` on a
# bench store (default var/bench/stats.db, the 10-million-student SQLite store of
# bench/stats_bench.sh). The first fill reads the day's projection from the registry's history
# and counts; the next ones answer from what the engine keeps of that day (a past day never
# changes). A bench store's history is dated by its import (today), so the script first dates
# it to the day before the point in time — an UPDATE of student_history,
# org_promotion_history and org_history of that bench store, nothing else. Prints Markdown.
#
# Usage: bench/stats_form_asof.sh [STORE.db] [POINT, default the last 1 September]
set -euo pipefail
source "$(dirname "$0")/common.sh"
db="${1:-$BENCH_DIR/stats.db}"
year=$(TZ=Asia/Shanghai date +%Y)
[ "$(TZ=Asia/Shanghai date +%m%d)" -gt 0901 ] || year=$((year - 1))
point="${2:-$year-09-01}"
before="$(date -u -d "$point - 1 day" +%F)T00:00:00.000Z"

bench_build >&2
[ -s "$db" ] || { echo "no store $db (run bench/stats_bench.sh first)" >&2; exit 2; }
# The institutions' history too, on a store that has it (migration 21).
org_history=""
[ -z "$(sqlite3 "$db" "SELECT name FROM sqlite_master WHERE name = 'org_history'")" ] ||
  org_history="UPDATE org_history SET valid_from = '$before' WHERE valid_from > '$before';"
dated=$(seconds sqlite3 "$db" "UPDATE student_history SET valid_from = '$before' WHERE valid_from > '$before';
UPDATE org_promotion_history SET valid_from = '$before' WHERE valid_from > '$before'; $org_history")
log="$BENCH_DIR/form-asof.log"
"$NEMIS" stats form 教基3112 --db "sqlite:$db" --org 440000 --as-of "$point" --repeat 5 --out /dev/null 2>"$log"
fills=$(grep '"event":"stats_form_filled"' "$log" | sed -E 's/.*"seconds":([0-9.e-]+).*/\1/' |
  awk '{printf "%s%.4f", (NR > 1 ? ", " : ""), $1}')
students=$(grep -m1 '"event":"stats_form_filled"' "$log" >/dev/null && sqlite3 "$db" "SELECT COUNT(*) FROM student")

cat <<MD
教基3112 of the province (440000) as of $point on $students students (\`$(basename "$db")\`), $(date -u +%F), $(machine)

- history re-dated to $before: $dated s
- the five fills, seconds (the first reads the day's projection from the history): $fills
MD
