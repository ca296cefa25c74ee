#!/usr/bin/env bash
# Installs what is missing, builds osslive and starts it with config/osslive.json (data in ./data).
# Once it listens it prints the console's URL, the access key and one command to paste that tries
# the whole flow (scripts/try.sh). Extra arguments go to osslive, e.g. --listen 0.0.0.0:9000.
# It builds scripts/test.sh's configuration (scripts/lib/build.sh), only the server: either
# command reuses what the other built. Steps' output goes to <build folder>/logs/.
set -euo pipefail
scripts=$(dirname "$0")  # as typed, for the command printed at the end
cd "$scripts/.."
source scripts/lib/steps.sh
source scripts/lib/build.sh

scripts/install-deps.sh
build_configure
build_targets osslive osslive
echo "starting $OSSLIVE_BUILD_DIR/osslive (Ctrl-C stops it; its log follows)"
args=(--config config/osslive.json "$@")
exec "$OSSLIVE_BUILD_DIR/osslive" "${args[@]}" > >(scripts/lib/announce.sh "$scripts/try.sh" "${args[@]}")
