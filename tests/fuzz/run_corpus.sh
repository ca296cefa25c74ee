#!/usr/bin/env bash
# CI-sized smoke for the fuzz targets: builds them with clang and runs each once over its seed
# corpus and saved regressions (no mutation, seconds). Any crash, sanitizer report or broken
# invariant fails the script.
#   tests/fuzz/run_corpus.sh [build dir]      (default: build-fuzz; needs clang, libclang-rt-14-dev)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build-fuzz}"
fuzz="$root/tests/fuzz"
targets=(process auth canonical range hls hls_json xml)

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" "${generator[@]}" -DOSSLIVE_FUZZ=ON -DOSSLIVE_BUILD_TESTS=OFF
fi
cmake --build "$build" --target "${targets[@]/#/fuzz_}" -j2

# UBSan stops the run (-fno-sanitize-recover); the stack tells where.
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
failed=0
for target in "${targets[@]}"; do
  inputs=("$fuzz/corpus/$target")
  [[ -d "$fuzz/regressions/$target" ]] && inputs+=("$fuzz/regressions/$target")
  # -runs=0 with directories: every file is executed once, nothing is mutated or written.
  if "$build/tests/fuzz/fuzz_$target" -runs=0 -timeout=10 -rss_limit_mb=2048 "${inputs[@]}" \
      >"$build/fuzz_$target.smoke.log" 2>&1; then
    echo "fuzz_$target: $(grep -c . <(find "${inputs[@]}" -type f)) inputs ok"
  else
    echo "fuzz_$target: FAILED, see $build/fuzz_$target.smoke.log" >&2
    tail -n 40 "$build/fuzz_$target.smoke.log" >&2
    failed=1
  fi
done
exit "$failed"
