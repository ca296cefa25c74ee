#!/usr/bin/env bash
# The whole test suite against an AddressSanitizer + UndefinedBehaviorSanitizer build (issue 7):
# unit tests run sanitized in-process, client tests drive the sanitized server binary. Any report
# fails the run (halt_on_error, no UBSan recovery). About 3x the time of scripts/test.sh.
#   scripts/test-sanitize.sh [ctest args]       (build in build-asan; OSSLIVE_BUILD_DIR overrides)
set -euo pipefail
cd "$(dirname "$0")/.."
export OSSLIVE_BUILD_DIR=${OSSLIVE_BUILD_DIR:-build-asan}
export OSSLIVE_CMAKE_ARGS="-DOSSLIVE_SANITIZE=address,undefined -DCMAKE_CXX_FLAGS=-fno-sanitize-recover=undefined ${OSSLIVE_CMAKE_ARGS:-}"
# libav's hand-written assembly and x264 are not instrumented; leaks are checked at exit.
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:abort_on_error=0:strict_string_checks=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan-suppressions.txt:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
exec scripts/test.sh "$@"
