#!/usr/bin/env bash
# A short run of every fuzz target, for ./scripts/test: builds build-fuzz if needed, runs
# the committed regression inputs of each target (fuzz/regressions/<name>/) one by one, then
# fuzzes it briefly from its seeds (fuzz/corpus/<name>/). One line per target; exits non-zero
# on any finding (crash, sanitizer report, leak, timeout), naming the input that caused it.
#   fuzz/smoke.sh [SECONDS_PER_TARGET]    (default 5; NEMIS_FUZZ_RUNS caps executions)
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
seconds="${1:-${NEMIS_FUZZ_SECONDS:-5}}"
runs="${NEMIS_FUZZ_RUNS:-200000}"

work="$(mktemp -d "${TMPDIR:-/tmp}/nemis-fuzz-smoke.XXXXXX")"
trap 'rm -rf "$work"' EXIT
if ! "$NEMIS_FUZZ_ROOT/fuzz/build.sh" "$NEMIS_FUZZ_BUILD" >"$work/build.log" 2>&1; then
  tail -30 "$work/build.log" >&2
  echo "fuzz: build failed (fuzz/build.sh)" >&2
  exit 1
fi

failed=0
start_all=$SECONDS
for t in $(nemis_fuzz_targets); do
  bin="$NEMIS_FUZZ_BUILD/fuzz/${t}_fuzz"
  seeds="$NEMIS_FUZZ_ROOT/fuzz/corpus/$t"
  regressions="$NEMIS_FUZZ_ROOT/fuzz/regressions/$t"
  mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
  log="$work/$t/log"
  status="ok"
  nreg=0
  if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ]; then
    nreg="$(find "$regressions" -type f | wc -l)"
    if ! "$bin" -timeout=10 -rss_limit_mb=2048 "$regressions"/* >"$log.reg" 2>&1; then
      status="REGRESSION"
      cp "$log.reg" "$log"
    fi
  fi
  if [ "$status" = ok ]; then
    dirs=("$work/$t/corpus" "$seeds")
    [ -d "$regressions" ] && dirs+=("$regressions")
    "$bin" -max_total_time="$seconds" -runs="$runs" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$work/$t/artifacts/" "${dirs[@]}" >"$log" 2>&1 ||
      status="FINDING"
  fi
  read -r execs cov ft corp <<<"$(nemis_fuzz_stats "$log")"
  printf 'fuzz %-16s %-10s %9s runs  cov %5s  ft %6s  corpus %4s  regressions %s\n' \
    "$t" "$status" "$execs" "$cov" "$ft" "$corp" "$nreg"
  if [ "$status" != ok ]; then
    failed=1
    grep -E 'ERROR|FUZZ_CHECK|runtime error|SUMMARY|Test unit written|^Running: ' "$log" | head -20 | sed 's/^/    /'
    for a in $(nemis_fuzz_artifacts "$work/$t/artifacts"); do
      keep="$NEMIS_FUZZ_BUILD/findings/$t"
      mkdir -p "$keep" && cp "$a" "$keep/"
      echo "    input kept: $keep/$(basename "$a")  (reproduce: $bin $keep/$(basename "$a"))"
    done
  fi
done
echo "fuzz: $(nemis_fuzz_targets | wc -l) targets in $((SECONDS - start_all)) s, $([ $failed = 0 ] && echo 'no findings' || echo 'FINDINGS')"
exit $failed
