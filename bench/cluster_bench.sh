#!/usr/bin/env bash
# Cluster mode on this machine (docs/cluster.md), with scripts/cluster.sh on loopback:
#   a. distinct cold segments per minute with 1, 2 and 3 nodes behind nginx
#   b. the cost nginx adds to a stored segment (wrk through nginx vs straight to the node)
#   c. duplicate transcodes counted while the node that owns a playlist is killed during playback
#
#   bench/cluster_bench.sh            (OSSLIVE_BIN=path skips the build)
# Knobs (environment): CLUSTER_PARTS=abc  CLUSTER_NODES=1,2,3  CLUSTER_PORT=19600 (nginx; node i: +i)
#   CLUSTER_SRC_SIZE=1280x720  CLUSTER_OUT_SIZE=1280x720  CLUSTER_SRC_SECONDS=20  CLUSTER_ST_MS=5000
#   CLUSTER_PLAYLISTS=6  CLUSTER_WRK_SECONDS=5  CLUSTER_WRK_CONNECTIONS=16  CLUSTER_WRK_ROUNDS=3
#   CLUSTER_LOSS_SECONDS=60  CLUSTER_KILL_AFTER=3  CLUSTER_KEEP=1 (keep the work folder)
# Results: docs/PERFORMANCE.md "Cluster".
set -euo pipefail
source "$(dirname "$0")/lib.sh"

bench_need ffmpeg wrk nginx nodejs
bench_client_modules
bench_build
export OSSLIVE_BIN=$BENCH_BIN

bench_machine "osslive cluster bench" nginx wrk
echo
node "$BENCH_ROOT/bench/cluster_bench.mjs"
