# Quiet steps for the setup scripts (install-deps.sh, run.sh, test.sh): one line on the terminal
# per step, the step's whole output (apt, npm, cmake, ninja) in a log file under the build folder,
# and, when a step fails, that log's path and its last lines.
# Sourced by scripts that have cd'd to the repository root.
# shellcheck shell=bash

OSSLIVE_BUILD_DIR=${OSSLIVE_BUILD_DIR:-build}
STEP_LOG_DIR=$OSSLIVE_BUILD_DIR/logs

# human_seconds N: "42 s", "3 min 05 s".
human_seconds() {
  if (($1 < 60)); then printf '%d s' "$1"; else printf '%d min %02d s' $(($1 / 60)) $(($1 % 60)); fi
}

# While a step runs on a terminal: ninja's latest [done/total] after the step's title. Ends with
# the step, or with the script if Ctrl-C ended it first.
_step_progress() {
  local script=$1 log=$2 title=$3 shown="" now
  while kill -0 "$script" 2>/dev/null; do
    now=$(grep -o '^\[[0-9]*/[0-9]*\]' "$log" 2>/dev/null | tail -n 1) || true
    if [[ -n $now && $now != "$shown" ]]; then
      printf '\r\033[K%s... %s ' "$title" "$now"
      shown=$now
    fi
    sleep 1
  done
}

# What to show of a failed step's log: from a failed ninja edge on (the compiler's message), or
# else its last lines (apt's and npm's errors come last).
_step_excerpt() {
  local log=$1
  if grep -q '^FAILED: ' "$log"; then
    sed -n '/^FAILED: /,$p' "$log" | head -n 60
  else
    tail -n 25 "$log"
  fi
}

# step NAME TITLE COMMAND...: prints "TITLE... ", runs COMMAND with all its output in
# $STEP_LOG_DIR/NAME.log, then "done in T" or, on failure, the log's path and excerpt (on stderr);
# returns COMMAND's status. Call it as a statement: under `set -e` a failed step ends the script.
step() {
  local name=$1 title=$2
  shift 2
  mkdir -p "$STEP_LOG_DIR"
  local log=$STEP_LOG_DIR/$name.log started=$SECONDS status=0 progress=""
  printf '$ %s\n' "$*" >"$log"
  printf '%s... ' "$title"
  if [[ -t 1 ]]; then
    _step_progress $$ "$log" "$title" &
    progress=$!
  fi
  "$@" >>"$log" 2>&1 </dev/null || status=$?
  if [[ -n $progress ]]; then
    kill "$progress" 2>/dev/null || true
    wait "$progress" 2>/dev/null || true
    printf '\r\033[K%s... ' "$title"
  fi
  local took
  took=$(human_seconds $((SECONDS - started)))
  if ((status == 0)); then
    printf 'done in %s\n' "$took"
    return 0
  fi
  printf 'FAILED (exit %d, after %s)\n' "$status" "$took"
  {
    printf 'the whole output is in %s; its end:\n' "$log"
    _step_excerpt "$log" | sed 's/^/  | /'
  } >&2
  return "$status"
}
