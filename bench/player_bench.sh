#!/usr/bin/env bash
# What a viewer waits for (issue 16): hls.js in Debian's Chromium plays one source from osslive and
# as static HLS of the same source made by the ffmpeg CLI and served by nginx, the two taking
# turns in one run (bench/player_bench.mjs has the measurements):
#   startup with every segment cold (initd_0) and with the default initd, seek to the middle,
#   stalls at 1x for two viewers (one seeking), at 2x and at 4x, on a PLAYER_SECONDS s
#   PLAYER_SIZE PLAYER_FPS source; a seek into an untouched part of a 2-hour source.
# A player cannot append a TS segment before it has all of it, so every figure waits for last bytes.
#
#   bench/player_bench.sh                  (OSSLIVE_BIN=path skips the build)
# Knobs (environment):
#   PLAYER_ROUNDS=3  PLAYER_PARTS=startup,seek,viewers,rate2,rate4,long
#   PLAYER_SECONDS=30  PLAYER_SIZE=1280x534  PLAYER_FPS=24000/1001  PLAYER_LONG_SECONDS=7200
#   PLAYER_PARAMS= (extra hls/m3u8 parameters for osslive, e.g. st_5000)
#   PLAYER_SEEK_AFTER_S=6 (the second viewer's seek)  PLAYER_LONG_SEEK_TO=0.6
#   PLAYER_CONFIG=file (an osslive config file)  PLAYER_KEEP=1 (keep the work folder)  BENCH_LOG=file
# About 15 min with 3 rounds on an idle machine, 30 min on a loaded one. Not a ctest test: timings.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

seconds=${PLAYER_SECONDS:-30}
size=${PLAYER_SIZE:-1280x534}
fps=${PLAYER_FPS:-24000/1001}
long_seconds=${PLAYER_LONG_SECONDS:-7200}
parts=${PLAYER_PARTS:-startup,seek,viewers,rate2,rate4,long}
export PLAYER_PARTS=$parts PLAYER_FILM_SECONDS=$seconds PLAYER_LONG_SECONDS=$long_seconds

bench_workdir player-bench "${PLAYER_KEEP:-}"

bench_need bc ffmpeg nginx nodejs chromium
bench_client_modules
bench_build

bench_machine "what a viewer waits for: hls.js in Chromium, osslive vs static HLS" osslive ffmpeg chromium hls.js nginx

# ---- sources: a film-shaped clip (x264's default GOP, 250 pictures), and 2 hours of it ----
bucket=bench
data=$work/data
www=$work/www
mkdir -p "$data/$bucket/in" "$www/film" "$www/long"
film=$data/$bucket/in/film.mp4
echo "making a ${seconds} s ${size}@${fps} H.264 + AAC source..." >&2
ffmpeg -nostdin -v error -f lavfi -i "testsrc2=size=$size:rate=$fps" -f lavfi -i sine=frequency=1000:sample_rate=48000 \
  -t "$seconds" -c:v libx264 -preset veryfast -crf 20 -pix_fmt yuv420p -c:a aac -b:a 160k -movflags +faststart "$film"
if [[ $parts == *long* ]]; then
  echo "making a ${long_seconds} s source by repeating it (stream copy)..." >&2
  for _ in $(seq $(((long_seconds + seconds - 1) / seconds))); do echo "file '$film'"; done >"$work/list.txt"
  ffmpeg -nostdin -v error -f concat -safe 0 -i "$work/list.txt" -t "$long_seconds" -c copy -movflags +faststart \
    "$data/$bucket/in/long.mp4"
fi

# ---- static HLS by the ffmpeg CLI at osslive's default output settings: the source size and rate,
# x264 veryfast crf 23, a keyframe every 2 s without scene cuts, AAC 128k, 10 s segments ----
fps_num=${fps%/*} fps_den=1
[[ $fps == */* ]] && fps_den=${fps#*/}
gop=$((2 * fps_num / fps_den))  # osslive's rule: a keyframe at least every 2 s
cli_hls() {  # cli_hls INPUT OUTDIR [extra ffmpeg output options]
  local in=$1 out=$2
  shift 2
  ffmpeg -nostdin -v error -i "$in" -c:v libx264 -preset veryfast -crf 23 -g "$gop" -keyint_min "$gop" -sc_threshold 0 \
    -c:a aac -b:a 128k "$@" -f hls -hls_time 10 -hls_playlist_type vod -hls_segment_filename "$out/%d.ts" "$out/index.m3u8"
}
echo "static HLS of the clip (ffmpeg CLI)..." >&2
cli_hls "$film" "$www/film"
if [[ $parts == *long* ]]; then
  # The 2-hour one: the clip encoded once, repeated and cut into 10 s segments by stream copy (the
  # same pictures as a 2-hour encode of the repeated source, without two hours of encoding).
  echo "static HLS of the 2-hour source (the clip's encode repeated, stream copy)..." >&2
  ffmpeg -nostdin -v error -i "$film" -c:v libx264 -preset veryfast -crf 23 -g "$gop" -keyint_min "$gop" -sc_threshold 0 \
    -c:a aac -b:a 128k -f mpegts "$work/film-encoded.ts"
  for _ in $(seq $(((long_seconds + seconds - 1) / seconds))); do echo "file '$work/film-encoded.ts'"; done >"$work/list-ts.txt"
  ffmpeg -nostdin -v error -f concat -safe 0 -i "$work/list-ts.txt" -t "$long_seconds" -c copy -f hls -hls_time 10 \
    -hls_playlist_type vod -hls_segment_filename "$www/long/%d.ts" "$www/long/index.m3u8"
  rm -f "$work/film-encoded.ts"
fi
cp "$BENCH_ROOT/bench/player_page.html" "$BENCH_ROOT/bench/player_page.js" "$www/"
cp "$BENCH_ROOT/tests/clients/node_modules/hls.js/dist/hls.min.js" "$www/"

# ---- nginx: the page, hls.js and the static HLS, uncached (every run fetches every byte) ----
chmod -R a+rX "$work"  # nginx workers run as nobody
# Uncached, so that every run fetches every byte.
bench_nginx "$www" "$work/nginx" /film/index.m3u8 'add_header Cache-Control no-store;'
export PLAYER_STATIC=$NGINX_URL

# ---- osslive on the same data: the sources were dropped into the bucket's folder ----
bench_start "$data" ${PLAYER_CONFIG:+--config "$PLAYER_CONFIG"}
[[ -n $OSS_ENDPOINT ]] || { echo "osslive did not start" >&2; exit 1; }
export PLAYER_BUCKET=$bucket
keys="'in/film.mp4'"
[[ $parts == *long* ]] && keys+=", 'in/long.mp4'"
node -e "
const OSS = require('$BENCH_ROOT/tests/clients/node_modules/ali-oss');
const c = new OSS({ accessKeyId: process.env.OSS_AK, accessKeySecret: process.env.OSS_SK, region: 'oss-cn-hangzhou',
  endpoint: process.env.OSS_ENDPOINT.replace('127.0.0.1', 'localhost'), sldEnable: true, bucket: '$bucket', timeout: 600000 });
(async () => {
  await c.putBucketCORS('$bucket', [{ allowedOrigin: '$PLAYER_STATIC', allowedMethod: ['GET', 'HEAD'], allowedHeader: '*', maxAgeSeconds: 3600 }]);
  for (const k of [$keys]) await c.head(k);  // the first read computes the ETag
})().catch((e) => { console.error(e); process.exit(1); });
" || { echo "setting up the bucket failed" >&2; exit 1; }

node "$BENCH_ROOT/bench/player_bench.mjs"
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
