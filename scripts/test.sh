#!/usr/bin/env bash
# Installs what is missing (apt, npm), builds everything and runs every test with ctest: unit
# tests, then the real server driven by real clients. Extra arguments go to ctest.
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
tests="$count tests"
((count == 1)) && tests="1 test"
# The whole suite: about 5 min (309 tests, 2026-12-02), longer on a busy machine.
if (($# == 0)); then
  echo "testing: $tests, $jobs at a time (about 5 min on 2 cores)"
else
  echo "testing: $tests, $jobs at a time"
fi
exec ctest --test-dir "$OSSLIVE_BUILD_DIR" --output-on-failure -j "$jobs" "$@"
