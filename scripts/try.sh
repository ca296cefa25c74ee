#!/usr/bin/env bash
# The quickstart in one command, against a running osslive (scripts/run.sh prints this line with its
# address and key): makes a 20 s sample with ffmpeg (or takes FILE), uploads it, makes an HLS
# playlist of it (hls/m3u8 + sys/saveas) and prints a signed hls/sign,live_1 URL to play. Needs only
# curl, openssl, python3 and ffmpeg (scripts/oss-curl.sh signs the requests).
#   OSS_ENDPOINT=http://127.0.0.1:9000 OSS_AK=... OSS_SK=... scripts/try.sh [FILE]
# Knobs: OSS_BUCKET (media), TRY_PROCESS (hls/m3u8,st_5000), TRY_EXPIRES (seconds, 3600).
# The URL is the last line of the output.
set -euo pipefail
: "${OSS_AK:?is the AccessKeyId scripts/run.sh printed}" "${OSS_SK:?is the AccessKeySecret scripts/run.sh printed}"
export OSS_ENDPOINT=${OSS_ENDPOINT:-http://127.0.0.1:9000}
oss_curl=$(dirname "$0")/oss-curl.sh
bucket=${OSS_BUCKET:-media}
process=${TRY_PROCESS:-hls/m3u8,st_5000}
expires=${TRY_EXPIRES:-3600}
work=$(mktemp -d /tmp/osslive-try.XXXXXX)
trap 'rm -rf "$work"' EXIT

if (($#)); then
  source_file=$1
  # A key that needs no percent-encoding in the signed path.
  name=$(basename "$source_file")
  name=${name//[^A-Za-z0-9._-]/_}
else
  name=sample.mp4
  source_file=$work/$name
  printf 'making a 20 s 1280x720 sample with ffmpeg (about 10 s)... '
  ffmpeg -nostdin -v error -f lavfi -i testsrc2=size=1280x720:rate=25:duration=20 \
    -f lavfi -i sine=frequency=440:sample_rate=48000:duration=20 \
    -c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac -shortest "$source_file"
  echo "done"
fi
source_key=in/$name
playlist_key=out/${name%.*}.m3u8

# oss METHOD PATH [curl options...]: a signed request; the answer's body on stdout, or on failure
# its status and OSS error on stderr, and status 1.
oss() {
  local status
  status=$("$oss_curl" "$@" -o "$work/answer" -w '%{http_code}')
  if [[ $status != 2* ]]; then
    printf 'FAILED: HTTP %s from %s %s\n' "$status" "$1" "$2" >&2
    cat "$work/answer" >&2 && echo >&2
    return 1
  fi
  cat "$work/answer"
}

printf 'uploading it as %s/%s... ' "$bucket" "$source_key"
oss PUT "/$bucket/$source_key" -T "$source_file" >/dev/null
echo "done"

printf 'making the playlist %s/%s (%s)... ' "$bucket" "$playlist_key" "$process"
saveas="sys/saveas,o_$(printf %s "$playlist_key" | base64 -w0)"
answer=$(oss POST "/$bucket/$source_key?x-oss-process" --data-raw "x-oss-process=$process|$saveas")
python3 -c 'import json, sys
a = json.loads(sys.argv[1])
v = (a.get("VideoPlaylist") or [{}])[0]
print("done: %s s, %s at %s fps" % (a.get("Duration"), v.get("Resolution", "audio only"), v.get("FrameRate", "-")))' "$answer"

echo "play this URL (valid for $expires s) with ffplay, VLC, Safari or hls.js:"
"$oss_curl" --presign "$expires" GET "/$bucket/$playlist_key?x-oss-process=hls/sign,live_1"
