#!/usr/bin/env bash
# Installs what is missing, builds osslive and starts it with config/osslive.json
# (data in ./data, a dev access key printed at start-up). Extra arguments go to osslive.
# It builds scripts/test.sh's configuration (scripts/lib/build.sh), only the server: either
# command reuses what the other built. Steps' output goes to <build folder>/logs/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/steps.sh
source scripts/lib/build.sh

scripts/install-deps.sh
build_configure
build_targets osslive osslive
echo "starting $OSSLIVE_BUILD_DIR/osslive (Ctrl-C stops it; its log follows)"
exec "$OSSLIVE_BUILD_DIR/osslive" --config config/osslive.json "$@"
