#!/usr/bin/env bash
# The portal's budget (issue 9): the sign-in page's JavaScript and the student list of a
# large school showing its first page, in Debian's chromium against a real `nemis serve`
# (release build) on a generated province, beside the same page from the API alone.
#
# Usage: bench/portal_bench.sh [STUDENTS, default 200000] [RUNS, default 7]
# Environment: NEMIS_BIN measures that binary instead of building build-release; PORT
# (18189); BENCH_DIR (var/bench/portal). Needs web/dist (npm run build in web/) and
# web/node_modules (playwright-core). Prints a Markdown table.
set -euo pipefail
STUDENTS="${1:-200000}"
RUNS="${2:-7}"
export BENCH_DIR="${BENCH_DIR:-$(cd "$(dirname "$0")/.." && pwd)/var/bench/portal}"
source "$(dirname "$0")/common.sh"
PORT="${PORT:-18189}"
if [ -n "${NEMIS_BIN:-}" ]; then NEMIS="$NEMIS_BIN"; else bench_build >/dev/null; fi
[ -f "$BENCH_ROOT/web/dist/index.html" ] || { echo "build the portal first: cd web && npm ci && npm run build" >&2; exit 2; }
cd "$BENCH_DIR"

db="$BENCH_DIR/portal-$STUDENTS.db"
if [ ! -f "$db.ready" ]; then
  rm -f "$db" "$db-wal" "$db-shm"
  "$NEMIS" gen --students "$STUDENTS" --seed 1 --db "sqlite:$db" >"$BENCH_DIR/gen.log" 2>&1
  touch "$db.ready"
fi
# Two schools: the one nearest 2,000 students in school (the issue's case) and the largest;
# one registrar account, registrar of both, reads them.
schools=$(sqlite3 -separator ' ' "$db" "
  WITH sizes AS (SELECT o.code, COUNT(*) AS n FROM student s JOIN org o ON o.id = s.school_id
                 WHERE s.status = '01' GROUP BY o.code)
  SELECT * FROM (SELECT code, n FROM sizes ORDER BY ABS(n - 2000) LIMIT 1)
  UNION ALL SELECT * FROM (SELECT code, n FROM sizes ORDER BY n DESC LIMIT 1)")
if [ ! -f "$db.password" ]; then
  password="Bench-$(date +%s)-Portal"
  while read -r school _; do
    "$NEMIS" user add bench.portal --role school_registrar --org "$school" --db "sqlite:$db" \
      --password-stdin <<<"$password" >/dev/null
  done <<<"$schools"
  (umask 077; echo "$password" >"$db.password")
fi
password=$(cat "$db.password")

"$NEMIS" serve --db "sqlite:$db" --port "$PORT" --set "portal.dir=$BENCH_ROOT/web/dist" >"$BENCH_DIR/serve.log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done

echo "## Portal — \`bench/portal_bench.sh $STUDENTS\` ($(date -u +%F), $(machine))"
echo
while read -r school size; do
  echo "School $school: $size students in school; $RUNS runs each."
  echo
  echo "| measure | value |"
  echo "|---|---|"
  node "$BENCH_ROOT/bench/portal_bench.mjs" --url "http://127.0.0.1:$PORT" --login bench.portal \
    --password "$password" --school "$school" --runs "$RUNS"
  echo
done <<<"$schools"
