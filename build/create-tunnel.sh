#!/usr/bin/env bash
# Creates, once, the named Cloudflare tunnel GPU workers connect through, its ingress rule,
# and the DNS route of its hostname (reference/remote.md §2.5), with the Cloudflare API and
# curl. Idempotent: an existing tunnel of the name and an existing DNS record are reused.
# The tunnel token is stored with `engine secrets set worker_tunnel_token` (the OS keychain
# or the 0600 secrets file) and never printed.
#
#   CLOUDFLARE_API_TOKEN=… CLOUDFLARE_ACCOUNT_ID=… CLOUDFLARE_ZONE_ID=… \
#     build/create-tunnel.sh --name samwise-gpu --hostname gpu.example.com
#
# The API token needs Account → Cloudflare Tunnel: Edit and Zone → DNS: Edit.
# Optional: --port N (the worker engine's port, default 8000), CLOUDFLARE_API (default
# https://api.cloudflare.com/client/v4), SAMWISE_ENGINE (the engine binary, default engine).
set -euo pipefail

name="" host="" port=8000
while [ $# -gt 0 ]; do
  case "$1" in
    --name) name=$2; shift 2 ;;
    --hostname) host=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    *) echo "create-tunnel: unknown argument $1 (use --name, --hostname, --port)" >&2; exit 2 ;;
  esac
done
die() { echo "create-tunnel: $*" >&2; exit 1; }
[ -n "$name" ] && [ -n "$host" ] || die "give --name and --hostname"
for v in CLOUDFLARE_API_TOKEN CLOUDFLARE_ACCOUNT_ID CLOUDFLARE_ZONE_ID; do
  [ -n "${!v:-}" ] || die "set $v"
done
command -v curl >/dev/null || die "curl is required"
command -v jq >/dev/null || die "jq is required (apt-get install jq)"
api=${CLOUDFLARE_API:-https://api.cloudflare.com/client/v4}
acct=$CLOUDFLARE_ACCOUNT_ID zone=$CLOUDFLARE_ZONE_ID
engine=${SAMWISE_ENGINE:-engine}

# The API token goes to curl in a header file, not on its command line.
headers=$(mktemp)
trap 'rm -f "$headers"' EXIT
chmod 600 "$headers"
printf 'Authorization: Bearer %s\nContent-Type: application/json\n' "$CLOUDFLARE_API_TOKEN" >"$headers"

# cf METHOD PATH [BODY]: one API call; prints .result, fails with the API's errors.
cf() {
  local out
  out=$(curl -sS -X "$1" -H @"$headers" "$api$2" ${3:+--data "$3"}) || die "$1 $2: request failed"
  if [ "$(jq -r '.success' <<<"$out")" != "true" ]; then
    die "$1 $2: $(jq -c '.errors // .' <<<"$out")"
  fi
  jq -c '.result' <<<"$out"
}

id=$(cf GET "/accounts/$acct/cfd_tunnel?name=$name&is_deleted=false" | jq -r '.[0].id // empty')
if [ -n "$id" ]; then
  echo "create-tunnel: reusing tunnel $name ($id)" >&2
else
  id=$(cf POST "/accounts/$acct/cfd_tunnel" "$(jq -nc --arg n "$name" '{name: $n, config_src: "cloudflare"}')" | jq -r '.id')
  [ -n "$id" ] && [ "$id" != null ] || die "the create answer has no tunnel id"
  echo "create-tunnel: created tunnel $name ($id)" >&2
fi

# Remotely managed ingress: the hostname to the worker engine, and the catch-all last rule
# cloudflared requires.
ingress=$(jq -nc --arg h "$host" --arg s "http://localhost:$port" \
  '{config: {ingress: [{hostname: $h, service: $s, originRequest: {}}, {service: "http_status:404"}]}}')
cf PUT "/accounts/$acct/cfd_tunnel/$id/configurations" "$ingress" >/dev/null
echo "create-tunnel: ingress $host → http://localhost:$port" >&2

target="$id.cfargotunnel.com"
record=$(cf GET "/zones/$zone/dns_records?type=CNAME&name=$host" | jq -c '.[0] // empty')
if [ -z "$record" ]; then
  cf POST "/zones/$zone/dns_records" "$(jq -nc --arg n "$host" --arg c "$target" '{type: "CNAME", name: $n, content: $c, proxied: true, ttl: 1}')" >/dev/null
  echo "create-tunnel: DNS $host → $target" >&2
elif [ "$(jq -r '.content' <<<"$record")" != "$target" ]; then
  cf PUT "/zones/$zone/dns_records/$(jq -r '.id' <<<"$record")" "$(jq -nc --arg n "$host" --arg c "$target" '{type: "CNAME", name: $n, content: $c, proxied: true, ttl: 1}')" >/dev/null
  echo "create-tunnel: DNS $host re-pointed to $target" >&2
else
  echo "create-tunnel: DNS $host already points to $target" >&2
fi

cf GET "/accounts/$acct/cfd_tunnel/$id/token" | jq -r '.' | "$engine" secrets set worker_tunnel_token >&2
echo "create-tunnel: done. Set SAMWISE_WORKER_URL=https://$host (the token is stored as worker_tunnel_token)"
