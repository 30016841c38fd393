# Shared by fuzz/smoke.sh and bench/fuzz.sh.
# shellcheck shell=bash

NEMIS_FUZZ_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NEMIS_FUZZ_BUILD="${NEMIS_FUZZ_BUILD:-$NEMIS_FUZZ_ROOT/build-fuzz}"

# Every target: fuzz/<name>_fuzz.cpp.
nemis_fuzz_targets() {
  local f
  for f in "$NEMIS_FUZZ_ROOT"/fuzz/*_fuzz.cpp; do
    f="$(basename "$f")"
    echo "${f%_fuzz.cpp}"
  done
}

# Findings abort at once; leaks are checked too. Symbolised stacks for the report.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1:symbolize=1}"

# nemis_fuzz_stats LOG: "execs cov ft corpus" from a libFuzzer log (-print_final_stats=1).
nemis_fuzz_stats() {
  local log="$1" execs cov ft corp
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  cov="$(grep -o 'cov: [0-9]*' "$log" | tail -1 | awk '{print $2}')"
  ft="$(grep -o 'ft: [0-9]*' "$log" | tail -1 | awk '{print $2}')"
  corp="$(grep -o 'corp: [0-9]*' "$log" | tail -1 | awk '{print $2}')"
  echo "${execs:-0} ${cov:-0} ${ft:-0} ${corp:-0}"
}

# nemis_fuzz_artifacts DIR: the crash/leak/timeout/oom files libFuzzer left in DIR.
nemis_fuzz_artifacts() {
  find "$1" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
    -o -name 'oom-*' -o -name 'slow-unit-*' \) 2>/dev/null | grep -v slow-unit- || true
}
