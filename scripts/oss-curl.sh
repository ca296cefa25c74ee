#!/usr/bin/env bash
# curl with an OSS V1 signature, for trying osslive by hand:
#   OSS_AK=... OSS_SK=... scripts/oss-curl.sh METHOD /bucket/key[?subresource] [curl options...]
# e.g.  scripts/oss-curl.sh PUT /media/in/clip.mp4 -T clip.mp4 -H 'Content-Type: video/mp4'
#       scripts/oss-curl.sh GET '/media/?prefix=in/'
#       scripts/oss-curl.sh POST '/media/in/clip.mp4?x-oss-process' \
#           --data-raw "x-oss-process=hls/m3u8,st_5000|sys/saveas,o_$(printf out/clip.m3u8 | base64 -w0)"
# or, to print a V1 presigned URL valid for SECONDS instead of sending a request:
#   scripts/oss-curl.sh --presign SECONDS GET '/media/out/clip.m3u8?x-oss-process=hls/sign,live_1'
# The path is signed as written: percent-encode keys yourself (the signature covers the decoded key).
# Signed query parameters (sub-resources, x-oss-process...) must be bare ("?uploads") or have raw values.
set -euo pipefail
presign_seconds=""
if [[ ${1:-} == --presign ]]; then
  presign_seconds=$2
  shift 2
fi
method=$1 path=$2
shift 2
endpoint=${OSS_ENDPOINT:-http://127.0.0.1:9000}
date=$(LC_ALL=C TZ=GMT date '+%a, %d %b %Y %H:%M:%S GMT')
# A presigned URL signs its expiry time where a request signs its Date.
[[ -n $presign_seconds ]] && date=$(($(date +%s) + presign_seconds))
content_type="" content_md5="" add_type=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [[ ${args[i]} == -H && $((i + 1)) -lt ${#args[@]} ]]; then
    header=${args[i + 1]}
    case "${header,,}" in
      content-type:*) content_type=$(sed 's/^[^:]*:[[:space:]]*//' <<<"$header") ;;
      content-md5:*) content_md5=$(sed 's/^[^:]*:[[:space:]]*//' <<<"$header") ;;
    esac
  fi
done
# POST bodies given with --data go out as form-urlencoded unless a Content-Type is set.
if [[ -z $content_type && ($method == POST) ]]; then
  for a in "$@"; do [[ $a == --data* || $a == -d ]] && content_type=application/x-www-form-urlencoded add_type=1; done
fi
# The canonical resource: /bucket/ for bucket requests, the decoded key, and the signed sub-resources.
resource=$(python3 -c 'import sys, urllib.parse as u
signed = {"acl", "uploads", "uploadId", "partNumber", "delete", "bucketInfo", "location", "objectMeta",
          "security-token", "response-content-type", "response-content-language", "response-expires",
          "response-cache-control", "response-content-disposition", "response-content-encoding"}
path, _, query = sys.argv[1].partition("?")
path = u.unquote(path)
if path.count("/") == 1 and path != "/":
    path += "/"
subs = []
for q in query.split("&"):
    k, eq, v = q.partition("=")
    k, v = u.unquote(k), u.unquote(v)
    if k in signed or k.startswith("x-oss-"):
        subs.append(k + ("=" + v if v else ""))
subs.sort()
print(path + ("?" + "&".join(subs) if subs else ""))' "$path")
string_to_sign=$(printf '%s\n%s\n%s\n%s\n%s' "$method" "$content_md5" "$content_type" "$date" "$resource")
signature=$(printf '%s' "$string_to_sign" | openssl dgst -sha1 -hmac "$OSS_SK" -binary | base64)
if [[ -n $presign_seconds ]]; then
  encoded=$(python3 -c 'import sys, urllib.parse as u; print(u.quote(sys.argv[1], safe=""))' "$signature")
  separator='?'
  [[ $path == *\?* ]] && separator='&'
  echo "$endpoint$path${separator}OSSAccessKeyId=$OSS_AK&Expires=$date&Signature=$encoded"
  exit 0
fi
curl_method=(-X "$method")
[[ $method == HEAD ]] && curl_method=(-I)
exec curl -sS "${curl_method[@]}" -H "Date: $date" -H "Authorization: OSS $OSS_AK:$signature" \
  ${add_type:+-H "Content-Type: $content_type"} "$@" "$endpoint$path"
