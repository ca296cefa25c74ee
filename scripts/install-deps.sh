#!/usr/bin/env bash
# Installs what osslive needs on Debian 12, only what is missing: build tools and libraries
# (apt), the console's player (npm: hls.js into src/console, embedded at build time), and with
# --test also the test clients (apt: ffmpeg, chromium; npm: ali-oss, hls.js, playwright-core).
# Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
for arg in "$@"; do
  case "$arg" in
    --test) want_tests=1 ;;
    *) echo "usage: $0 [--test]" >&2; exit 2 ;;
  esac
done

packages=(build-essential cmake ninja-build pkg-config
  libboost-dev libboost-system-dev nlohmann-json3-dev libspdlog-dev libssl-dev
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev libavfilter-dev
  ffmpeg)
# Node.js/npm install the console's hls.js (and, with --test, the test clients).
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
if [[ $want_tests == 1 ]]; then
  packages+=(libgtest-dev libgmock-dev chromium chromium-driver)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) == 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The console's player, pinned by src/console/package-lock.json; CMake embeds it into the binary.
# Without it osslive still builds and the console says it cannot play, so a failure only warns.
if [[ ! -f src/console/node_modules/hls.js/dist/hls.min.js ||
      src/console/package-lock.json -nt src/console/node_modules/.package-lock.json ]]; then
  (cd src/console && npm ci --no-audit --no-fund --loglevel=error) ||
    echo "warning: npm could not install hls.js into src/console: /-/console will not play video" >&2
fi

if [[ $want_tests == 1 ]]; then
  (cd tests/clients && npm ci --no-audit --no-fund --loglevel=error)
fi
