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

# A free TCP port on loopback.
bench_free_port() {
  node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })"
}

# bench_nginx ROOT DIR PROBE [EXTRA]: nginx serving ROOT on a free loopback port, with sendfile and
# tcp_nopush as osslive serves stored objects; its config, logs and temp files go in DIR, EXTRA
# adds http{} directives. Waits until PROBE (a path) answers; sets NGINX_PID and NGINX_URL.
bench_nginx() {
  local root=$1 dir=$2 probe=$3 extra=${4:-} port
  mkdir -p "$dir/tmp"
  port=$(bench_free_port)
  cat >"$dir/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  types { video/MP2T ts; application/vnd.apple.mpegurl m3u8; text/html html; text/javascript js; }
  default_type application/octet-stream;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  $extra
  server {
    listen 127.0.0.1:$port;
    root $root;
  }
}
EOF
  nginx -p "$dir/" -e "$dir/error.log" -c "$dir/nginx.conf" &
  NGINX_PID=$!
  NGINX_URL=http://127.0.0.1:$port
  for _ in $(seq 50); do curl -sf -o /dev/null "$NGINX_URL$probe" && return 0; sleep 0.1; done
  curl -sf -o /dev/null "$NGINX_URL$probe" || { cat "$dir/error.log" >&2; return 1; }
}

bench_nginx_stop() {
  if [[ -n ${NGINX_PID:-} ]]; then kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; fi
  NGINX_PID=
}

# bench_workdir NAME KEEP: a fresh work folder in $work, removed at exit (with any server or nginx
# still running) unless KEEP is non-empty.
bench_workdir() {
  work=$(mktemp -d "/tmp/osslive-$1.XXXXXX")
  BENCH_KEEP=$2
  trap bench_cleanup EXIT
}

bench_cleanup() {
  bench_nginx_stop
  bench_stop || true
  if [[ -n ${BENCH_KEEP:-} ]]; then echo "work folder kept: $work" >&2; else rm -rf "$work"; fi
}

# The test clients' npm packages (ali-oss, hls.js, playwright-core), which the benches drive too.
bench_client_modules() {
  local modules=$BENCH_ROOT/tests/clients/node_modules
  [[ -d $modules/ali-oss && -d $modules/playwright-core ]] || (cd "$BENCH_ROOT/tests/clients" && npm ci --silent)
}

# bench_machine TITLE [TOOL...]: the run's heading and a table of the machine and of the tools it
# names (osslive ffmpeg nginx wrk node chromium hls.js), so that every recorded figure says where
# it was measured.
bench_machine() {
  echo "## $1"
  shift
  echo
  echo "| machine | |"
  echo "| --- | --- |"
  echo "| nproc | $(nproc) |"
  echo "| cpu | $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1) |"
  echo "| memory | $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) |"
  echo "| load average at start | $(cut -d' ' -f1-3 /proc/loadavg) |"
  echo "| kernel | $(uname -r) |"
  local tool
  for tool in "$@"; do
    case $tool in
      osslive) echo "| osslive | $("$BENCH_BIN" --version 2>&1 | head -1) |" ;;
      ffmpeg) echo "| ffmpeg | $(ffmpeg -version | head -1 | cut -d' ' -f1-3) |" ;;
      nginx) echo "| nginx | $(nginx -v 2>&1 | cut -d/ -f2) |" ;;
      wrk) echo "| wrk | $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2) |" ;;
      node) echo "| node | $(node --version) |" ;;
      chromium) echo "| chromium | $(/usr/bin/chromium --version 2>/dev/null | head -1) |" ;;
      hls.js) echo "| hls.js | $(node -p "require('$BENCH_ROOT/tests/clients/node_modules/hls.js/package.json').version") |" ;;
      *) echo "bench_machine: unknown tool $tool" >&2; return 1 ;;
    esac
  done
}
