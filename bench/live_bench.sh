#!/usr/bin/env bash
# osslive as a live transcoding service, against the real binary on loopback, each number next to
# its reference in the same run (issue 5 item 6):
#   a. a cold 10 s segment of a 1080p30 H.264 + AAC source made at 720p: time to first byte and
#      total of the GET, next to the ffmpeg CLI making the same range (targets total/CLI <= 0.9,
#      TTFB/CLI <= 0.15); a'. the same with the default config (ta prefetch running alongside)
#   b. LIVE_CLIENTS clients asking for one cold segment at once: one transcode, identical bodies
#   c. stored segments with wrk (64 connections): osslive (live hls/ts URLs and plain presigned
#      GETs) next to nginx serving the same files (target osslive/nginx >= 0.8)
#   d. two viewers playing a ~3 minute source in real time with a 3-segment buffer, one seeking to
#      60% after 20 s: late segments and seek to first byte
#
#   bench/live_bench.sh                    (OSSLIVE_BIN=path skips the build)
# Knobs (environment):
#   LIVE_PARTS=abcd          which parts to run
#   LIVE_SRC_SIZE=1920x1080  LIVE_SRC_FPS=30  LIVE_OUT_SIZE=1280x720  LIVE_ST_MS=10000 (5000..15000)
#   LIVE_A_SECONDS=60        source of a, b, c        LIVE_D_SECONDS=180  source of d
#   LIVE_RUNS=5              runs of a (medians)      LIVE_A_INDEX=2  LIVE_B_INDEX=3  segment asked for
#   LIVE_CLIENTS=8           clients of b
#   LIVE_WRK_SECONDS=10  LIVE_WRK_CONNECTIONS=64  LIVE_WRK_THREADS=2  LIVE_WRK_ROUNDS=3 (medians)
#   LIVE_SEEK_AFTER_S=20  LIVE_SEEK_TO=0.6  LIVE_BUFFER_SEGMENTS=3  LIVE_PLAY_S=0 (0: to the end)
#   LIVE_VERBOSE=1 (per-segment log of d on stderr)  LIVE_KEEP=1 (keep the work folder)
#   LIVE_D_CONFIG=file (a config file for the server of a' and d, e.g. to compare a setting)
#   BENCH_LOG=file (server stderr)
# A quick smoke run:
#   LIVE_SRC_SIZE=320x240 LIVE_OUT_SIZE=160x120 LIVE_ST_MS=5000 LIVE_A_SECONDS=20 LIVE_D_SECONDS=40 \
#   LIVE_RUNS=1 LIVE_WRK_SECONDS=3 LIVE_SEEK_AFTER_S=8 bench/live_bench.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"

parts=${LIVE_PARTS:-abcd}
src_size=${LIVE_SRC_SIZE:-1920x1080}
src_fps=${LIVE_SRC_FPS:-30}
a_seconds=${LIVE_A_SECONDS:-60}
d_seconds=${LIVE_D_SECONDS:-180}
wrk_seconds=${LIVE_WRK_SECONDS:-10}
wrk_connections=${LIVE_WRK_CONNECTIONS:-64}
wrk_threads=${LIVE_WRK_THREADS:-2}
wrk_rounds=${LIVE_WRK_ROUNDS:-3}
export LIVE_OUT_SIZE=${LIVE_OUT_SIZE:-1280x720} LIVE_ST_MS=${LIVE_ST_MS:-10000} LIVE_PARTS=$parts

bench_workdir live-bench "${LIVE_KEEP:-}"
export LIVE_WORK=$work

bench_need bc ffmpeg wrk nginx nodejs
bench_client_modules
bench_build

bench_machine "osslive live transcoding bench" osslive ffmpeg nginx wrk node

# ---- sources: a, b, c use a 60 s piece; d the piece repeated to ~3 minutes (stream copy) ----
echo "making a ${a_seconds} s ${src_size}@${src_fps} H.264 + AAC source..." >&2
export LIVE_SRC_A=$work/src-a.mp4 LIVE_SRC_D=$work/src-d.mp4
ffmpeg -nostdin -v error -f lavfi -i "testsrc2=size=$src_size:rate=$src_fps" \
  -f lavfi -i sine=frequency=1000:sample_rate=48000 -t "$a_seconds" -c:v libx264 -preset veryfast -crf 20 \
  -pix_fmt yuv420p -c:a aac -b:a 192k -movflags +faststart "$LIVE_SRC_A"
if [[ $parts == *d* ]]; then
  for _ in $(seq $(((d_seconds + a_seconds - 1) / a_seconds))); do echo "file '$LIVE_SRC_A'"; done >"$work/list.txt"
  ffmpeg -nostdin -v error -f concat -safe 0 -i "$work/list.txt" -t "$d_seconds" -c copy -movflags +faststart "$LIVE_SRC_D"
fi

# wrk_row LABEL URL SCRIPT: one wrk run, one Markdown row; sets WRK_RPS and WRK_MBS.
wrk_row() {
  local out rps tps value unit mbs p50 p99 non2xx sock
  out=$(wrk -t"$wrk_threads" -c"$wrk_connections" -d"${wrk_seconds}s" --latency -s "$3" "$2")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  tps=$(awk '/^Transfer\/sec:/ {print $2}' <<<"$out")
  value=${tps%%[A-Za-z]*}
  unit=${tps#"$value"}
  case $unit in
    GB) mbs=$(echo "$value * 1073741824 / 1000000" | bc -l) ;;
    MB) mbs=$(echo "$value * 1048576 / 1000000" | bc -l) ;;
    KB) mbs=$(echo "$value * 1024 / 1000000" | bc -l) ;;
    *) mbs=$(echo "$value / 1000000" | bc -l) ;;
  esac
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")
  sock=$(sed -n 's/^ *Socket errors: //p' <<<"$out")
  printf '| %s | %.0f | %.1f | %s | %s | %s | %s |\n' "$1" "$rps" "$mbs" "$p50" "$p99" "${non2xx:-0}" "${sock:-none}"
  WRK_RPS=$rps WRK_MBS=$mbs
}

# ---- a, b, c: prefetch off, so one request is one transcode ----
if [[ $parts == *[abc]* ]]; then
  # hls/m3u8's ta is [10, 30] (no ta_0): prefetch is turned off on the server instead; with it, the
  # next segments would be made alongside and share the 2 cores with the one measured (see a').
  echo '{"transcode": {"prefetch_limit": 0}}' >"$work/no-prefetch.json"
  mkdir -p "$work/data1"
  bench_start "$work/data1" --config "$work/no-prefetch.json"
  [[ -n $OSS_ENDPOINT ]] || { echo "osslive did not start" >&2; exit 1; }
  node "$BENCH_ROOT/bench/live_bench.mjs" cold

  if [[ $parts == *c* ]]; then
    chmod 755 "$work" "$work/www"  # nginx workers run as nobody
    chmod 644 "$work"/www/*
    bench_nginx "$work/www" "$work/nginx" /seg-0.ts || exit 1

    echo
    echo "### c. stored segments ($(cat "$work/c.txt")), wrk ${wrk_threads} threads, ${wrk_connections} connections, ${wrk_seconds} s each, ${wrk_rounds} rounds"
    echo
    # The three servers take turns, round after round, so that drift of the shared machine (other
    # tenants, the page cache) reaches all of them alike; the ratios are of the medians.
    echo "| round | server | requests/s | MB/s | p50 | p99 | non-2xx | socket errors |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
    live_rps=() live_mbs=() plain_rps=() plain_mbs=() ngx_rps=() ngx_mbs=()
    for round in $(seq "$wrk_rounds"); do
      wrk_row "$round | osslive, hls/sign live URLs (hls/ts, stored)" "$OSS_ENDPOINT" "$work/live.lua"
      live_rps+=("$WRK_RPS") live_mbs+=("$WRK_MBS")
      wrk_row "$round | osslive, presigned GET" "$OSS_ENDPOINT" "$work/plain.lua"
      plain_rps+=("$WRK_RPS") plain_mbs+=("$WRK_MBS")
      wrk_row "$round | nginx $(nginx -v 2>&1 | cut -d/ -f2), same files" "$NGINX_URL" "$work/nginx.lua"
      ngx_rps+=("$WRK_RPS") ngx_mbs+=("$WRK_MBS")
    done
    med() { printf '%s\n' "$@" | median; }
    verdict() { (($(echo "$1 >= 0.8" | bc -l))) && echo met || echo MISSED; }
    m_live=$(med "${live_rps[@]}") m_plain=$(med "${plain_rps[@]}") m_ngx=$(med "${ngx_rps[@]}")
    r1=$(echo "$m_live / $m_ngx" | bc -l) r2=$(echo "$m_plain / $m_ngx" | bc -l)
    echo
    echo "| median of ${wrk_rounds} | requests/s | MB/s | ratio to nginx, requests/s (target >= 0.8) | ratio, MB/s |"
    echo "| --- | --- | --- | --- | --- |"
    printf '| osslive, live URLs | %.0f | %.1f | **%.3f** %s | %.3f |\n' "$m_live" "$(med "${live_mbs[@]}")" "$r1" \
      "$(verdict "$r1")" "$(echo "$(med "${live_mbs[@]}") / $(med "${ngx_mbs[@]}")" | bc -l)"
    printf '| osslive, presigned GET | %.0f | %.1f | **%.3f** %s | %.3f |\n' "$m_plain" "$(med "${plain_mbs[@]}")" "$r2" \
      "$(verdict "$r2")" "$(echo "$(med "${plain_mbs[@]}") / $(med "${ngx_mbs[@]}")" | bc -l)"
    printf '| nginx | %.0f | %.1f | | |\n' "$m_ngx" "$(med "${ngx_mbs[@]}")"
    kill "$NGINX_PID"
    wait "$NGINX_PID" 2>/dev/null || true
    NGINX_PID=
  fi
  bench_stop || true
fi

# ---- a' and d: the default config (initd, ta prefetch) ----
if [[ $parts == *[ad]* ]]; then
  mkdir -p "$work/data2"
  bench_start "$work/data2" ${LIVE_D_CONFIG:+--config "$LIVE_D_CONFIG"}
  [[ -n $OSS_ENDPOINT ]] || { echo "osslive did not start" >&2; exit 1; }
  OSSLIVE_PID=$BENCH_PID node "$BENCH_ROOT/bench/live_bench.mjs" viewers
  bench_stop || true
fi
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
