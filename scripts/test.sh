#!/usr/bin/env bash
# Installs what is missing (apt, npm), builds everything and runs every test with ctest:
# unit tests, then the real server driven by real clients. Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
build_dir=${OSSLIVE_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOSSLIVE_BUILD_TESTS=ON ${OSSLIVE_CMAKE_ARGS:-} >/dev/null
cmake --build "$build_dir"
ctest --test-dir "$build_dir" --output-on-failure -j "${OSSLIVE_TEST_JOBS:-2}" "$@"
