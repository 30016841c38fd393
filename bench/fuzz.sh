#!/usr/bin/env bash
# Long fuzzing of every target in fuzz/ (see fuzz/README.md), one after the other, one worker
# (the machine has 2 cores): a working corpus per target is kept in bench/out/fuzz/corpus/
# and grows across runs; findings go to bench/out/fuzz/artifacts/<target>/; logs to
# bench/out/fuzz/logs/. A table of CPU seconds, executions, coverage and findings per target
# is printed and appended to bench/out/fuzz/summary.tsv.
#   bench/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 120 s, every target)
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../fuzz/common.sh"
seconds="${1:-120}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && mapfile -t targets < <(nemis_fuzz_targets)

"$NEMIS_FUZZ_ROOT/fuzz/build.sh" "$NEMIS_FUZZ_BUILD" >/dev/null || exit 1
out="$NEMIS_FUZZ_ROOT/bench/out/fuzz"
mkdir -p "$out/logs"
stamp="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
printf '%-16s %8s %8s %12s %10s %6s %7s %7s %s\n' target seconds cpu_s execs exec/s cov ft corpus findings
status=0
for t in "${targets[@]}"; do
  # A copy runs, so that rebuilding build-fuzz meanwhile cannot touch it.
  mkdir -p "$out/bin"
  cp "$NEMIS_FUZZ_BUILD/fuzz/${t}_fuzz" "$out/bin/${t}_fuzz"
  bin="$out/bin/${t}_fuzz"
  corpus="$out/corpus/$t"
  artifacts="$out/artifacts/$t"
  log="$out/logs/$t.log"
  mkdir -p "$corpus" "$artifacts"
  dirs=("$corpus" "$NEMIS_FUZZ_ROOT/fuzz/corpus/$t")
  [ -d "$NEMIS_FUZZ_ROOT/fuzz/regressions/$t" ] && dirs+=("$NEMIS_FUZZ_ROOT/fuzz/regressions/$t")
  before="$(nemis_fuzz_artifacts "$artifacts" | wc -l)"
  t0=$SECONDS
  # -use_value_profile: comparisons guide the search too (ID check digits, magic codes).
  /usr/bin/time -f '%U %S' -o "$log.time" "$bin" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -use_value_profile=1 -print_final_stats=1 -artifact_prefix="$artifacts/" \
    "${dirs[@]}" >"$log" 2>&1 || status=1
  wall=$((SECONDS - t0))
  cpu="$(tail -1 "$log.time" | awk '{printf "%.0f", $1 + $2}')"
  read -r execs cov ft corp <<<"$(nemis_fuzz_stats "$log")"
  found="$(($(nemis_fuzz_artifacts "$artifacts" | wc -l) - before))"
  rate=$((wall > 0 ? execs / wall : 0))
  printf '%-16s %8s %8s %12s %10s %6s %7s %7s %s\n' "$t" "$wall" "$cpu" "$execs" "$rate" "$cov" "$ft" "$corp" "$found"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$stamp" "$t" "$wall" "$cpu" "$execs" "$cov" "$ft" "$corp" "$found" \
    >>"$out/summary.tsv"
  if [ "$found" -gt 0 ]; then
    grep -E 'FUZZ_CHECK|runtime error|ERROR: AddressSanitizer|ERROR: LeakSanitizer|SUMMARY|Test unit written' "$log" | head -8 | sed 's/^/    /'
  fi
done
exit $status
