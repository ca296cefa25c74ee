#!/usr/bin/env bash
# Installs what osslive needs on Debian 12, only what is missing: build tools and libraries
# (apt), the console's player (npm: hls.js into src/console, embedded at build time), and with
# --test also the test clients (apt: chromium; npm: ali-oss, hls.js, playwright-core).
# One line per step on the terminal; apt's and npm's output goes to <build folder>/logs/
# (OSSLIVE_BUILD_DIR, default build), and a failing step shows its log's end. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/steps.sh

want_tests=0
for arg in "$@"; do
  case "$arg" in
    --test) want_tests=1 ;;
    *) echo "usage: $0 [--test]" >&2; exit 2 ;;
  esac
done

# What scripts/run.sh needs. The tests' libraries are here too: run.sh and test.sh share one build
# configuration (tests included), so that neither rebuilds what the other built. curl, openssl and
# python3 serve scripts/oss-curl.sh and scripts/try.sh.
packages=(build-essential cmake ninja-build pkg-config
  libboost-dev libboost-system-dev nlohmann-json3-dev libspdlog-dev libssl-dev
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev libavfilter-dev
  libgtest-dev libgmock-dev ffmpeg curl openssl python3)
# Node.js/npm install the console's hls.js (and, with --test, the test clients).
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
if [[ $want_tests == 1 ]]; then
  # nginx: the front of the cluster test (scripts/cluster.sh).
  packages+=(chromium chromium-driver nginx)
fi

installed=" $(dpkg-query -W -f='${Package} ${Status}\n' "${packages[@]}" 2>/dev/null |
  awk '/ install ok installed$/ { printf "%s ", $1 }') " || true
missing=()
for p in "${packages[@]}"; do
  [[ $installed == *" $p "* ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "apt packages: all ${#packages[@]} installed"
else
  sudo_cmd=()
  if [[ $(id -u) != 0 ]]; then
    sudo_cmd=(sudo)
    sudo -v  # asks for the password here, before apt's output goes to the log
  fi
  apt_install() {
    echo "installing: $*" &&
      "${sudo_cmd[@]}" apt-get update &&
      DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "$@"
  }
  # apt's history on the 2-core dev machine: 40 s to unpack and set up the libraries, ffmpeg and
  # chromium (119 packages with their dependencies), the download before it not counted.
  step apt "installing ${#missing[@]} apt packages (about 1 min on 2 cores, plus the download)" \
    apt_install "${missing[@]}"
fi

# npm_needed DIR: whether DIR/node_modules lacks what DIR/package-lock.json pins (npm ci starts
# by deleting node_modules, so it runs only then).
npm_needed() {
  [[ ! -f $1/node_modules/.package-lock.json || $1/package-lock.json -nt $1/node_modules/.package-lock.json ]]
}
npm_ci() { (cd "$1" && npm ci --no-audit --no-fund); }

# The console's player; CMake embeds it into the binary. Without it osslive still builds and the
# console says it cannot play, so a failure only warns.
if [[ ! -f src/console/node_modules/hls.js/dist/hls.min.js ]] || npm_needed src/console; then
  step npm-console "installing the console's player (npm: hls.js, about 5 s)" npm_ci src/console ||
    echo "warning: without hls.js, /-/console will not play video" >&2
fi

if [[ $want_tests == 1 ]] && npm_needed tests/clients; then
  step npm-tests "installing the test clients (npm: ali-oss, hls.js, playwright-core, about 20 s)" \
    npm_ci tests/clients
fi
