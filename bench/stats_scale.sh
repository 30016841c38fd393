#!/usr/bin/env bash
# The statistics engine at a large province's scale (default 30 million students, a
# `nemis gen --seed 1` file imported into SQLite): what the store and the engine take — the
# store on disk, the engine's projection, the peak resident memory of the process that loads
# it (the goal: store and engine of a 30M-student node in 8 GiB of RAM) — how long the
# import and the load take, and the province's 教基3112 now, with counts checked against the
# store's SQL. PostgreSQL is left out at this size: its store would not fit this machine's
# disk beside the SQLite one. Prints Markdown.
set -euo pipefail
source "$(dirname "$0")/common.sh"
N="${1:-30000000}"

bench_build >&2
csv=$(bench_csv "$N")
db="$BENCH_DIR/stats-$N.db"
today=$(TZ=Asia/Shanghai date +%F)

# peak COMMAND...: runs it; prints "<wall seconds> s, peak RSS <MiB> MiB" (GNU time).
peak() {
  /usr/bin/time -f '%e %M' -o "$BENCH_DIR/time.txt" "$@" >"$BENCH_DIR/out.txt" 2>&1
  awk '{printf "%.1f s, peak RSS %d MiB", $1, $2 / 1024}' "$BENCH_DIR/time.txt"
}

import_line="(the store was made earlier: ${IMPORT_LINE:-not timed here})"
if [ ! -s "$db" ]; then
  import_line=$(peak "$NEMIS" import students "$csv" --db "sqlite:$db")
fi
store_size=$(du -cm "$db"* | tail -1 | cut -f1)
load_line=$(peak "$NEMIS" stats check --db "sqlite:$db" --by stage)
load_report=$(grep -m1 '"event":"stats_loaded"' "$BENCH_DIR/out.txt")
check_line=$("$NEMIS" stats check --db "sqlite:$db" --by county,grade,gender,leftBehind 2>/dev/null | tail -1)
form_line=$(peak "$NEMIS" stats form 教基3112 --db "sqlite:$db" --org 440000 --as-of "$today")

cat <<MD
Statistics engine on $N students (\`nemis gen --seed 1\`, SQLite), $(date -u +%F), $(machine)

| step | figure |
|---|---|
| \`nemis import students\` (first load) | $import_line |
| store on disk | $store_size MiB |
| \`nemis stats check --by stage\` (load + one count) | $load_line |
| the load, as it reports itself | $load_report |
| county × grade × gender × 留守儿童, engine and SQL | $check_line |
| \`nemis stats form 教基3112 --org 440000\` (load + fill) | $form_line |
MD
