#!/usr/bin/env bash
# Installs what is missing, builds osslive and starts it with config/osslive.json
# (data in ./data, a dev access key printed at start-up). Extra arguments go to osslive.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DOSSLIVE_BUILD_TESTS=OFF >/dev/null
cmake --build build --target osslive
exec build/osslive --config config/osslive.json "$@"
