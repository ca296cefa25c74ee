# Shared by the bench scripts: build, start a server on a free port, sign requests.
# shellcheck shell=bash
BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_BUILD=${OSSLIVE_BUILD_DIR:-$BENCH_ROOT/build-bench}
BENCH_AK=LTAIbenchosslive0001
BENCH_SK=bench-secret-osslive-0001

# OSSLIVE_BIN=path skips the build and uses that binary.
bench_build() {
  if [[ -n ${OSSLIVE_BIN:-} ]]; then BENCH_BIN=$OSSLIVE_BIN; return; fi
  cmake -S "$BENCH_ROOT" -B "$BENCH_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOSSLIVE_BUILD_TESTS=OFF >/dev/null
  cmake --build "$BENCH_BUILD" --target osslive "$@" >/dev/null
  BENCH_BIN=$BENCH_BUILD/osslive
}

# bench_start DATA_DIR [extra flags...]: starts osslive, sets BENCH_PID and OSS_ENDPOINT.
bench_start() {
  local data=$1
  shift
  local out
  out=$(mktemp)
  "$BENCH_BIN" --listen 127.0.0.1:0 --data-dir "$data" --access-key-id "$BENCH_AK" \
    --access-key-secret "$BENCH_SK" --log-level warn "$@" >"$out" 2>>"${BENCH_LOG:-/dev/null}" &
  BENCH_PID=$!
  for _ in $(seq 100); do
    grep -q 'listening on' "$out" && break
    sleep 0.1
  done
  OSS_ENDPOINT=$(grep -o 'http://[0-9.:]*' "$out" | head -1)
  export OSS_ENDPOINT OSS_AK=$BENCH_AK OSS_SK=$BENCH_SK
  rm -f "$out"
}

bench_stop() {
  [[ -n ${BENCH_PID:-} ]] && kill "$BENCH_PID" 2>/dev/null && wait "$BENCH_PID" 2>/dev/null
  BENCH_PID=
}

oss_curl() { "$BENCH_ROOT/scripts/oss-curl.sh" "$@"; }

# median of the numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# bench_need PKG...: installs missing Debian packages (bench tools are not needed for tests).
bench_need() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
  ((${#missing[@]})) || return 0
  local sudo_cmd=()
  [[ $(id -u) == 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
}
