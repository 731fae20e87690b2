#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Samwise needs to build, run and test,
# idempotently: only missing packages are installed. Groups:
#   run     ffmpeg (video)
#   test    + chromium, xvfb, xauth, xdotool, imagemagick (browser and desktop tests),
#           python3-numpy (the golden-fixture script's helpers)
#   desktop + libgtk-3-dev, libwebkit2gtk-4.1-dev, pkg-config (the Wails app)
# Usage: build/setup-debian.sh run|test|desktop ...
set -euo pipefail
declare -A groups=(
  [run]="ffmpeg"
  [test]="ffmpeg chromium xvfb xauth xdotool x11-utils imagemagick python3-numpy"
  [desktop]="libgtk-3-dev libwebkit2gtk-4.1-dev pkg-config gcc"
)
want=()
for g in "${@:-run}"; do
  [ -n "${groups[$g]+x}" ] || { echo "setup-debian: unknown group '$g' (run, test, desktop)" >&2; exit 2; }
  want+=(${groups[$g]})
done
if ! command -v dpkg >/dev/null; then
  echo "setup-debian: not a Debian system; install these yourself: ${want[*]}" >&2
  exit 0
fi
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup-debian: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
