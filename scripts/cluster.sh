#!/usr/bin/env bash
# N osslive nodes on one shared data folder behind nginx (docs/cluster.md):
#   scripts/cluster.sh up [N]   starts nodes 1..N (default 3; running ones stay, ones past N stop)
#                               and nginx in front of them on 127.0.0.1:9000 (reloaded if running)
#   scripts/cluster.sh ps       one line per node: node<i> <pid> <port>  (pid "-": not running)
#   scripts/cluster.sh down     stops nginx and every node
# Knobs: OSSLIVE_CLUSTER_PORT (nginx's port, default 9000; node i listens on that port + i),
# OSSLIVE_CLUSTER_HOST (default 127.0.0.1), OSSLIVE_CLUSTER_DATA (the shared folder, default
# ./data-cluster), OSSLIVE_ACCESS_KEY_ID / OSSLIVE_ACCESS_KEY_SECRET (else the nodes share the dev
# key kept in the folder), OSSLIVE_BIN (a built binary: nothing is built), OSSLIVE_CLUSTER_ARGS
# (more osslive flags, as words). nginx.conf, logs and pid files go to <data>/.cluster/.
# Installs nginx (apt) and builds osslive when missing, with the quiet steps of scripts/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/steps.sh
source scripts/lib/build.sh

port=${OSSLIVE_CLUSTER_PORT:-9000}
host=${OSSLIVE_CLUSTER_HOST:-127.0.0.1}
data=${OSSLIVE_CLUSTER_DATA:-./data-cluster}
state=$data/.cluster

usage() {
  echo "usage: $0 up [N] | ps | down" >&2
  exit 2
}

# Running, and not a zombie its parent has not reaped yet (a killed node's parent is whatever
# adopted it when this script exited).
alive() {
  [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null || return 1
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}
node_pid() { cat "$state/node$1.pid" 2>/dev/null || true; }
nginx_pid() { cat "$state/nginx.pid" 2>/dev/null || true; }
# The nodes this cluster has pid files for, in order.
known_nodes() {
  local f
  for f in "$state"/node*.pid; do
    [[ -e $f ]] || continue
    f=${f##*/node}
    echo "${f%.pid}"
  done | sort -n
}

need_nginx() {
  command -v nginx >/dev/null 2>&1 && return 0
  local sudo_cmd=()
  [[ $(id -u) == 0 ]] || sudo_cmd=(sudo)
  apt_nginx() {
    "${sudo_cmd[@]}" apt-get update &&
      DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y --no-install-recommends nginx
  }
  step apt-nginx "installing nginx (apt, about 10 s plus the download)" apt_nginx
  # Debian starts its own nginx on port 80; this cluster runs its own instance and needs none.
}

need_binary() {
  if [[ -n ${OSSLIVE_BIN:-} ]]; then
    bin=$OSSLIVE_BIN
    return
  fi
  scripts/install-deps.sh
  build_configure
  build_targets osslive osslive
  bin=$OSSLIVE_BUILD_DIR/osslive
}

start_node() {
  local i=$1 node_port=$((port + $1)) out=$state/node$1.out
  local args=(--config config/osslive.json --data-dir "$data" --listen "$host:$node_port" --log-level info)
  if [[ -n ${OSSLIVE_ACCESS_KEY_ID:-} ]]; then
    args+=(--access-key-id "$OSSLIVE_ACCESS_KEY_ID" --access-key-secret "${OSSLIVE_ACCESS_KEY_SECRET:?set it with OSSLIVE_ACCESS_KEY_ID}")
  fi
  # shellcheck disable=SC2206  # a list of words
  args+=(${OSSLIVE_CLUSTER_ARGS:-})
  : >"$out"
  # Its own session: the node outlives this script and a Ctrl-C typed here.
  setsid "$bin" "${args[@]}" >"$out" 2>>"$state/node$i.log" </dev/null &
  echo $! >"$state/node$i.pid"
  echo "$node_port" >"$state/node$i.port"
  local waited=0
  until grep -q 'listening on' "$out"; do
    if ! alive "$(node_pid "$i")"; then
      echo "node$i exited at start; the end of $state/node$i.log:" >&2
      tail -n 15 "$state/node$i.log" >&2
      return 1
    fi
    ((waited++ < 150)) || { echo "node$i did not start within 15 s (see $state/node$i.log)" >&2; return 1; }
    sleep 0.1
  done
}

stop_node() {
  local i=$1 pid
  pid=$(node_pid "$i")
  if alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
    alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$state/node$i.pid" "$state/node$i.port"
}

write_nginx_conf() {
  local n=$1 servers=() i abs_state
  for ((i = 1; i <= n; i++)); do servers+=("$host:$((port + i))"); done
  mkdir -p "$state/nginx-tmp"
  abs_state=$(cd "$state" && pwd)
  scripts/lib/nginx-conf.sh config/nginx-cluster.conf "$abs_state" "$host:$port" "${servers[@]}" >"$state/nginx.conf"
}

start_or_reload_nginx() {
  local conf
  conf=$(cd "$state" && pwd)/nginx.conf
  nginx -t -q -p "$state" -c "$conf" -e "$state/nginx-error.log"
  if alive "$(nginx_pid)"; then
    nginx -p "$state" -c "$conf" -e "$state/nginx-error.log" -s reload
  else
    nginx -p "$state" -c "$conf" -e "$state/nginx-error.log"
  fi
  local waited=0
  until curl -fsS -o /dev/null "http://$host:$port/-/health" 2>/dev/null; do
    ((waited++ < 100)) || { echo "nginx does not answer on $host:$port (see $state/nginx-error.log)" >&2; return 1; }
    sleep 0.1
  done
}

cmd_up() {
  local n=${1:-3}
  [[ $n =~ ^[1-9][0-9]*$ ]] || usage
  need_nginx
  need_binary
  mkdir -p "$state"
  local i started=0
  for ((i = 1; i <= n; i++)); do
    if ! alive "$(node_pid "$i")"; then
      start_node "$i"
      started=$((started + 1))
    fi
  done
  write_nginx_conf "$n"
  start_or_reload_nginx
  # Nodes past N leave only after nginx stopped sending to them.
  for i in $(known_nodes); do
    ((i > n)) && stop_node "$i"
  done
  echo "cluster up: $n nodes ($started started) behind http://$host:$port, data in $data"
  if [[ -n ${OSSLIVE_ACCESS_KEY_ID:-} ]]; then
    echo "key: AccessKeyId=$OSSLIVE_ACCESS_KEY_ID (from OSSLIVE_ACCESS_KEY_ID)"
  else
    grep -h 'dev access key' "$state"/node*.out 2>/dev/null | head -n 1 || true
  fi
}

cmd_ps() {
  local i pid
  for i in $(known_nodes); do
    pid=$(node_pid "$i")
    alive "$pid" || pid=-
    echo "node$i $pid $(cat "$state/node$i.port" 2>/dev/null || echo $((port + i)))"
  done
}

cmd_down() {
  local pid i
  pid=$(nginx_pid)
  if alive "$pid"; then
    kill -QUIT "$pid" 2>/dev/null || true
    for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
    alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
  fi
  for i in $(known_nodes); do stop_node "$i"; done
  echo "cluster down (data kept in $data)"
}

case "${1:-}" in
  up) shift; (($# <= 1)) || usage; cmd_up "$@" ;;
  ps) cmd_ps ;;
  down) cmd_down ;;
  *) usage ;;
esac
