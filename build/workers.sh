#!/usr/bin/env bash
# Lists and destroys Samwise GPU workers on Vast by hand — never stops them (a stopped
# instance keeps billing for its disk).
#
#   build/workers.sh list [--all]          workers labelled samwise-<owner>-* (--all: every instance)
#   build/workers.sh destroy ID... | --mine
#
# Uses `engine workers` (the key from `engine secrets` or SAMWISE_VAST_API_KEY). Without an
# engine binary it falls back to curl with VAST_API_KEY (list shows every instance;
# destroy takes ids).
set -euo pipefail
engine=${SAMWISE_ENGINE:-engine}
if command -v "$engine" >/dev/null 2>&1; then
  exec "$engine" workers "$@"
fi

die() { echo "workers: $*" >&2; exit 1; }
[ -n "${VAST_API_KEY:-}" ] || die "no engine binary: set VAST_API_KEY to use curl"
command -v jq >/dev/null || die "jq is required"
api=${VAST_URL:-https://console.vast.ai/api/v0}
headers=$(mktemp)
trap 'rm -f "$headers"' EXIT
chmod 600 "$headers"
printf 'Authorization: Bearer %s\n' "$VAST_API_KEY" >"$headers"

case "${1:-}" in
  list)
    after=""
    while :; do
      page=$(curl -fsS -H @"$headers" -G "${api%/v0}/v1/instances/" --data-urlencode 'limit=25' ${after:+--data-urlencode "after_token=$after"})
      jq -r '.instances[] | "\(.id)\t\(.label // "")\t\(.actual_status // "")\t\(.gpu_name // "")\t\(.dph_total // 0)"' <<<"$page"
      after=$(jq -r '.next_token // empty' <<<"$page")
      [ -n "$after" ] || break
    done ;;
  destroy)
    shift
    [ $# -gt 0 ] || die "give instance ids"
    for id in "$@"; do
      [[ "$id" =~ ^[0-9]+$ ]] || die "$id is not an instance id"
      curl -fsS -X DELETE -H @"$headers" -H 'Content-Type: application/json' --data '{}' "$api/instances/$id/" >/dev/null
      echo "destroyed $id"
    done ;;
  *) die "use list or destroy" ;;
esac
