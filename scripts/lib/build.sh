# The one build configuration scripts/run.sh and scripts/test.sh share, so that neither rebuilds
# what the other built: one folder (OSSLIVE_BUILD_DIR, default build), RelWithDebInfo (the build
# docs/PERFORMANCE.md's figures were measured on), tests included. OSSLIVE_CMAKE_ARGS (words,
# after these, so they win) goes to every configure.
# Sourced after scripts/lib/steps.sh, from the repository root.
# shellcheck shell=bash

# CPU seconds (user + sys) one file takes to compile, on average, on the 2-core dev machine
# (2026-12-02): the 85 files of src/ took 5 min 55 s (Release), the 42 of tests/ about 4 min 30 s.
# A build takes about their sum over 2 on 2 idle cores; longer on a busy machine.
BUILD_CPU_SECONDS_SRC=4.2
BUILD_CPU_SECONDS_TESTS=6.5

build_configure() {
  local args=(-S . -B "$OSSLIVE_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOSSLIVE_BUILD_TESTS=ON)
  # shellcheck disable=SC2206  # a list of words, as it has always been
  args+=(${OSSLIVE_CMAKE_ARGS:-})
  step configure "configuring $OSSLIVE_BUILD_DIR/ (RelWithDebInfo, tests included)" cmake "${args[@]}"
  # CMake's warnings (e.g. the console built without hls.js) stay in sight.
  local log=$STEP_LOG_DIR/configure.log
  if grep -q '^CMake Warning' "$log"; then
    echo "cmake warned (all of it in $log):" >&2
    sed -n '/^CMake Warning/,/^$/p' "$log" | sed 's/^/  | /' >&2
  fi
}

# build_targets WHAT [TARGET...]: builds TARGETs (all of them when none), saying first how many
# files it will compile and about how long that takes on 2 cores, or that there is no work.
build_targets() {
  local what=$1
  shift
  local target_args=()
  for t in "$@"; do target_args+=(--target "$t"); done
  local plan files
  plan=$(cmake --build "$OSSLIVE_BUILD_DIR" "${target_args[@]}" -- -n)
  if grep -q '^ninja: no work to do' <<<"$plan"; then
    echo "building $what: up to date (ninja: no work to do)"
    return 0
  fi
  files=$(grep -c 'Building CXX object' <<<"$plan") || true
  local how_long
  how_long=$(awk -v src="$BUILD_CPU_SECONDS_SRC" -v tests="$BUILD_CPU_SECONDS_TESTS" '
    / Building CXX object tests\// { cpu += tests; next }
    / Building CXX object / { cpu += src }
    END { m = cpu / 2 / 60; print (m < 1) ? "under a minute" : "about " int(m + 0.5) " min" }' <<<"$plan")
  local noun=files
  ((files == 1)) && noun="file"
  step build "building $what: $files $noun to compile ($how_long on 2 cores)" \
    cmake --build "$OSSLIVE_BUILD_DIR" "${target_args[@]}"
}
