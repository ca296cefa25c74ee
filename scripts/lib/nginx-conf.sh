#!/usr/bin/env bash
# Prints nginx's configuration for a cluster (config/nginx-cluster.conf with its words filled in):
#   nginx-conf.sh TEMPLATE STATE_DIR LISTEN SERVER...
# STATE_DIR holds nginx's pid file, logs and temp folders; LISTEN is nginx's address (host:port);
# each SERVER is a node's host:port. Used by scripts/cluster.sh and docker/Dockerfile.
set -euo pipefail
(($# >= 4)) || { echo "usage: $0 TEMPLATE STATE_DIR LISTEN SERVER..." >&2; exit 2; }
template=$1 state=$2 listen=$3
shift 3
upstreams=""
for server in "$@"; do
  upstreams+="        server $server max_fails=1 fail_timeout=10s;"$'\n'
done
awk -v state="$state" -v listen="$listen" -v upstreams="${upstreams%$'\n'}" '
  /^@UPSTREAMS@$/ { print upstreams; next }
  { gsub(/@STATE@/, state); gsub(/@LISTEN@/, listen); print }' "$template"
