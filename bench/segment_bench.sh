#!/usr/bin/env bash
# One cold 10 s segment (segment 2 of a 1080p30 H.264/AAC source) made by transcode_segment,
# next to the ffmpeg CLI making the same range, in the same run: wall time, first byte, size and
# PSNR against the scaled source range. osslive's row is a job in a process that has made a
# segment before (as a running server has); the first job of a fresh process is shown as well.
# Size and PSNR are compared with the CLI twice: at its defaults (keyframes every 250 frames and at
# scene cuts) and at the segment's own keyframe settings (a closed GOP of 2 s, no scene cuts).
# Then a segment at 90% of a 2-hour source next to segment 0.
#   bench/segment_bench.sh            (SEGMENT_BENCH=path skips the build; THREADS=n per job;
#                                      LONG=0 skips the 2-hour source)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d /tmp/osslive-segment-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
bench_need bc ffmpeg

if [[ -n ${SEGMENT_BENCH:-} ]]; then
  bin=$SEGMENT_BENCH
else
  # Needs add_subdirectory(bench) in the top-level CMakeLists.txt.
  cmake -S "$BENCH_ROOT" -B "$BENCH_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOSSLIVE_BUILD_TESTS=OFF >/dev/null
  cmake --build "$BENCH_BUILD" --target segment_bench -j2 >/dev/null
  bin=$BENCH_BUILD/segment_bench
fi
threads=${THREADS:-0}

echo "making a 60 s 1080p30 H.264 + AAC source..." >&2
src=$work/src1080.mp4
ffmpeg -v error -f lavfi -i testsrc2=size=1920x1080:rate=30 -f lavfi -i sine=frequency=1000:sample_rate=48000 \
  -t 60 -c:v libx264 -preset veryfast -crf 20 -pix_fmt yuv420p -c:a aac -b:a 192k "$src"

field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p"; }
# psnr OUT START: average PSNR of OUT against the source range [START, START + 10 s) scaled to 720p.
psnr() {
  ffmpeg -nostdin -i "$1" -ss "$2" -t 10 -i "$src" -lavfi \
    "[1:v]scale=1280:720,setpts=PTS-STARTPTS[ref];[0:v]setpts=PTS-STARTPTS[out];[out][ref]psnr" -f null - 2>&1 |
    sed -n 's/.*PSNR.* average:\([0-9.inf]*\).*/\1/p' | tail -1
}

sync
line=$("$bin" "$src" "$work/osslive.ts" 2 10000 1280x720 23 128000 "$threads")
o_time=$(field ' segment_s' <<<"$line")
o_first=$(field ' first_byte_s' <<<"$line")
f_time=$(field fresh_segment_s <<<"$line")
f_first=$(field fresh_first_byte_s <<<"$line")
start=$(field start_s <<<"$line")
o_size=$(stat -c %s "$work/osslive.ts")

c_start=$(date +%s.%N)
ffmpeg -v error -ss "$start" -i "$src" -t 10 -vf scale=1280:720 -c:v libx264 -preset veryfast -crf 23 \
  -c:a aac -b:a 128k -f mpegts "$work/cli.ts"
c_end=$(date +%s.%N)
c_time=$(echo "$c_end - $c_start" | bc -l)
c_size=$(stat -c %s "$work/cli.ts")
# The segment's keyframe rule at 30 fps: an IDR every 60 frames, closed GOPs, no scene cuts.
ffmpeg -v error -ss "$start" -i "$src" -t 10 -vf scale=1280:720 -c:v libx264 -preset veryfast -crf 23 \
  -g 60 -keyint_min 60 -sc_threshold 0 -flags +cgop -c:a aac -b:a 128k -f mpegts "$work/cli_gop.ts"
g_size=$(stat -c %s "$work/cli_gop.ts")

o_psnr=$(psnr "$work/osslive.ts" "$start")
c_psnr=$(psnr "$work/cli.ts" "$start")
g_psnr=$(psnr "$work/cli_gop.ts" "$start")

printf '\n1080p30 -> 1280x720 H.264 crf 23 veryfast + AAC 128k, segment 2 (%s s, 10 s), threads %s, %s cores\n' \
  "$start" "$threads" "$(nproc)"
printf '| %-30s | %8s | %12s | %9s | %9s |\n' "" "wall s" "first byte s" "size KiB" "PSNR dB"
printf '|%s|%s|%s|%s|%s|\n' "--------------------------------" "----------" "--------------" "-----------" "-----------"
printf '| %-30s | %8.2f | %12.3f | %9d | %9s |\n' "osslive segment" "$o_time" "$o_first" "$((o_size / 1024))" "$o_psnr"
printf '| %-30s | %8.2f | %12.3f | %9s | %9s |\n' "osslive, first job of process" "$f_time" "$f_first" "" ""
printf '| %-30s | %8.2f | %12s | %9d | %9s |\n' "ffmpeg CLI -ss/-t" "$c_time" "" "$((c_size / 1024))" "$c_psnr"
printf '| %-30s | %8s | %12s | %9d | %9s |\n' "CLI, same GOP as the segment" "" "" "$((g_size / 1024))" "$g_psnr"
printf '| %-30s | %8.2f | %12.3f | %9.2f | %9s |\n' "ratio osslive/CLI" "$(echo "$o_time / $c_time" | bc -l)" \
  "$(echo "$o_first / $c_time" | bc -l)" "$(echo "$o_size / $c_size" | bc -l)" ""
printf '| %-30s | %8s | %12s | %9.3f | %9s |\n' "ratio osslive/CLI same GOP" "" "" \
  "$(echo "$o_size / $g_size" | bc -l)" "$(echo "$o_psnr - $g_psnr" | bc -l | xargs printf '%+.2f')"
printf '| %-30s | %8.2f | %12.3f | %9s | %9s |\n' "ratio first job/CLI" "$(echo "$f_time / $c_time" | bc -l)" \
  "$(echo "$f_first / $c_time" | bc -l)" "" ""

[[ ${LONG:-1} == 0 ]] && exit 0
echo "making a 2-hour source by repeating it..." >&2
for _ in $(seq 120); do echo "file '$src'"; done >"$work/list.txt"
ffmpeg -v error -f concat -safe 0 -i "$work/list.txt" -c copy "$work/long.mp4"
rm -f "$src"
first=$("$bin" "$work/long.mp4" "$work/first.ts" 0 10000 1280x720 23 128000 "$threads")
segments=$(field segments <<<"$first")
late_index=$((segments * 9 / 10))
late=$("$bin" "$work/long.mp4" "$work/late.ts" "$late_index" 10000 1280x720 23 128000 "$threads")
printf '\n2-hour source (%s segments): cold segment wall time\n' "$segments"
printf '| %-22s | %8s | %8s |\n' "segment" "start s" "wall s"
printf '|%s|%s|%s|\n' "------------------------" "----------" "----------"
printf '| %-22s | %8.0f | %8.2f |\n' "0" "$(field start_s <<<"$first")" "$(field ' segment_s' <<<"$first")"
printf '| %-22s | %8.0f | %8.2f |\n' "$late_index (90%)" "$(field start_s <<<"$late")" "$(field ' segment_s' <<<"$late")"
