#!/usr/bin/env bash
# POST hls/m3u8 on a 2-hour source next to the ffprobe CLI reading the same file, in one run.
# Generating a playlist should cost about one probe, however long the source.
#   bench/playlist_bench.sh [runs]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
runs=${1:-15}
work=$(mktemp -d /tmp/osslive-playlist-bench.XXXXXX)
trap 'bench_stop; rm -rf "$work"' EXIT
bench_need bc ffmpeg
bench_build

# A 2-hour H.264/AAC MP4 made by repeating a 60 s piece without re-encoding.
ffmpeg -v error -f lavfi -i testsrc2=size=640x360:rate=25 -f lavfi -i sine=frequency=440:sample_rate=48000 \
  -t 60 -c:v libx264 -preset ultrafast -g 50 -c:a aac -b:a 64k "$work/piece.mp4"
for _ in $(seq 120); do echo "file '$work/piece.mp4'"; done >"$work/list.txt"
mkdir -p "$work/data/media"
ffmpeg -v error -f concat -safe 0 -i "$work/list.txt" -c copy -movflags +faststart "$work/data/media/long.mp4"
duration=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$work/data/media/long.mp4")
size=$(stat -c %s "$work/data/media/long.mp4")

bench_start "$work/data"
oss_curl HEAD /media/long.mp4 >/dev/null  # first read of a hand-dropped file computes its ETag once
o=$(printf 'out/long.m3u8' | base64 -w0)
osslive_times=() ffprobe_times=()
for i in $(seq "$runs"); do
  # initd_0: measure the playlist alone, without background pre-transcoding.
  t=$(oss_curl POST '/media/long.mp4?x-oss-process' -o /dev/null -w '%{time_total}' \
      --data-raw "x-oss-process=hls/m3u8,st_10000,initd_0|sys/saveas,o_$o")
  osslive_times+=("$t")
  s=$(date +%s.%N)
  ffprobe -v error -show_format -show_streams "$work/data/media/long.mp4" >/dev/null
  e=$(date +%s.%N)
  ffprobe_times+=("$(echo "$e - $s" | bc -l)")
done
segments=$(oss_curl GET /media/out/long.m3u8 | grep -c '^#EXTINF')
m_osslive=$(printf '%s\n' "${osslive_times[@]}" | median)
m_ffprobe=$(printf '%s\n' "${ffprobe_times[@]}" | median)
printf 'source: %.0f s, %d MB, %s segments in the playlist\n' "$duration" $((size / 1000000)) "$segments"
printf '%-34s %10s\n' "median of $runs runs" "seconds"
printf '%-34s %10.4f\n' "POST hls/m3u8 (osslive, HTTP)" "$m_osslive"
printf '%-34s %10.4f\n' "ffprobe -show_format -show_streams" "$m_ffprobe"
printf '%-34s %10.2f\n' "ratio osslive / ffprobe" "$(echo "$m_osslive / $m_ffprobe" | bc -l)"
