#!/usr/bin/env bash
# scripts/run.sh sends osslive's stdout through this. Every line passes through; once the server
# listens, what to do next follows: the console's URL, the access key, and one command that tries
# the whole flow (scripts/try.sh: upload a sample, make a playlist, print a signed URL to play).
#   announce.sh TRY_COMMAND OSSLIVE_ARGS...      (run from the repository root)
# The key: --access-key-id/--access-key-secret, else the server's "dev access key:" line, else the
# config's first key, else the dev key file in the data folder (for a server that does not print it).
set -uo pipefail
trap '' INT  # Ctrl-C reaches osslive too: pass its last lines on until it closes stdout

try_command=$1
shift
key_id="" key_secret="" data_dir="" config=""
while (($# >= 2)); do
  case "$1" in
    --access-key-id) key_id=$2 ;;
    --access-key-secret) key_secret=$2 ;;
    --data-dir) data_dir=$2 ;;
    --config) config=$2 ;;
  esac
  shift
done

# json_get FILE PATH...: each PATH's value (dotted, e.g. auth.credentials.0.access_key_id) on one
# line, space-separated; nothing if one is missing.
json_get() {
  python3 -c 'import json, sys
try:
    values = []
    for path in sys.argv[2:]:
        v = json.load(open(sys.argv[1]))
        for part in path.split("."):
            v = v[int(part)] if isinstance(v, list) else v[part]
        values.append(str(v))
    print(" ".join(values))
except Exception:
    pass' "$@" 2>/dev/null
}

# The server's key when its start-up lines did not show it: the config's first key, or else the
# dev key it keeps in its data folder.
key_from_files() {
  if [[ -n $config ]]; then
    read -r key_id key_secret < <(json_get "$config" auth.credentials.0.access_key_id auth.credentials.0.access_key_secret)
    [[ -z $data_dir ]] && data_dir=$(json_get "$config" data_dir)
  fi
  local dev_file=${data_dir:-.}/.osslive/dev-credentials.json
  if [[ -z $key_id && -f $dev_file ]]; then
    read -r key_id key_secret < <(json_get "$dev_file" access_key_id access_key_secret)
  fi
}

announce() {
  local url=$1 host port
  host=${url#http://}
  port=${host##*:}
  host=${host%:*}
  case "$host" in "" | 0.0.0.0 | "::" | "[::]") host=127.0.0.1 ;; esac
  local endpoint=http://$host:$port key paste
  [[ -n $key_id ]] || key_from_files
  if [[ -n $key_id ]]; then
    key="AccessKeyId=$key_id AccessKeySecret=$key_secret"
    paste=$(printf 'OSS_ENDPOINT=%q OSS_AK=%q OSS_SK=%q %q' "$endpoint" "$key_id" "$key_secret" "$try_command")
  else
    key="the one in auth.credentials of ${config:-your config}"
    paste="OSS_ENDPOINT=$endpoint OSS_AK=<AccessKeyId> OSS_SK=<AccessKeySecret> $try_command"
  fi
  # After the server's first log lines (stderr, right behind these), and in one write, so that
  # none of them lands inside.
  sleep 0.2
  printf '\nosslive is ready.\n%s\n%s\n%s\n%s\n\n%s\n\n' \
    "  console:  $endpoint/-/console  (sign in there with the key below)" \
    "  key:      $key" \
    "  try it:   paste the line below into another terminal, in the same folder: it makes a 20 s" \
    "            sample with ffmpeg, uploads it, makes an HLS playlist and prints a signed URL to play" \
    "$paste"
}

while IFS= read -r line; do
  printf '%s\n' "$line"
  if [[ $line =~ ^osslive\ listening\ on\ (http://[^[:space:]]+) ]]; then
    url=${BASH_REMATCH[1]}
    # The dev key line comes in the same write, right after.
    if IFS= read -r -t 1 line; then
      printf '%s\n' "$line"
      if [[ $line =~ AccessKeyId=([^[:space:]]+)\ AccessKeySecret=([^[:space:]]+) && -z $key_id ]]; then
        key_id=${BASH_REMATCH[1]} key_secret=${BASH_REMATCH[2]}
      fi
    fi
    announce "$url"
  fi
done
