#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/*_fuzz.cpp) in their own clang build directory:
#   fuzz/build.sh [BUILD_DIR]     (default: build-fuzz at the top of the checkout)
# Only the libraries the targets link are built, with coverage instrumentation, ASan and
# UBSan, -O1 and assertions on (Result::value() on an error must abort, not read garbage).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-$root/build-fuzz}"
jobs="${NEMIS_FUZZ_JOBS:-2}"
if [ ! -f "$dir/build.ninja" ]; then
  cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DNEMIS_FUZZ=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" >/dev/null
fi
ninja -C "$dir" -j "$jobs" nemis_fuzzers
