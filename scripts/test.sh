#!/usr/bin/env bash
# Installs what is missing (apt, npm), builds everything and runs every test with ctest: unit
# tests, then the real server driven by real clients. Extra arguments go to ctest.
# On a machine this script prepared every test can run, so a skipped test (ctest's "Not Run":
# GTEST_SKIP, a node test marked skip or todo, a disabled test) fails the run like a failed one,
# and the last line says how many were skipped. So does a run in which no test matched.
# The build is scripts/run.sh's (scripts/lib/build.sh) plus the tests: either command reuses what
# the other built. Steps' output goes to <build folder>/logs/; ctest's progress shows as it runs.
# Knobs: OSSLIVE_BUILD_DIR (build), OSSLIVE_CMAKE_ARGS, OSSLIVE_TEST_JOBS (2).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/steps.sh
source scripts/lib/build.sh

scripts/install-deps.sh --test
build_configure
build_targets "osslive and its tests"
jobs=${OSSLIVE_TEST_JOBS:-2}
count=$(ctest --test-dir "$OSSLIVE_BUILD_DIR" -N "$@" | sed -n 's/^Total Tests: //p')
if ((count == 0)); then
  echo "testing: no test matched ${*:-(no filter)}" >&2
  exit 1
fi
tests="$count tests"
((count == 1)) && tests="1 test"
# The whole suite: 8 to 9 min of ctest (434-435 tests, fresh clones, 2026-12-03, on 2 cores; the tests
# that read a clock run alone).
if (($# == 0)); then
  echo "testing: $tests, $jobs at a time (about 9 min on 2 cores)"
else
  echo "testing: $tests, $jobs at a time"
fi
mkdir -p "$STEP_LOG_DIR"
junit=$(cd "$STEP_LOG_DIR" && pwd)/ctest-junit.xml
rm -f "$junit"
status=0
ctest --test-dir "$OSSLIVE_BUILD_DIR" --output-on-failure -j "$jobs" --output-junit "$junit" "$@" || status=$?

# ctest passes a run whose tests were skipped; this run does not.
skipped=()
if [[ ! -f $junit ]]; then
  echo "tests skipped: unknown (ctest wrote no report to $junit)" >&2
  exit 1
else
  mapfile -t skipped < <(grep -E '<testcase [^>]*status="(notrun|disabled)"' "$junit" | sed -E 's/.*<testcase name="([^"]*)".*/\1/')
fi
if ((${#skipped[@]} == 0)); then
  echo "tests skipped: 0"
else
  echo "tests skipped: ${#skipped[@]} (a skip is a failure here; why each was skipped is in $OSSLIVE_BUILD_DIR/Testing/Temporary/LastTest.log):" >&2
  printf '  %s\n' "${skipped[@]}" >&2
  ((status != 0)) || status=1
fi
exit "$status"
