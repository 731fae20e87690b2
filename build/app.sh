#!/usr/bin/env bash
# Builds the desktop app (what `make app` runs), idempotently:
#   1. bin/engine                         go build ./engine
#   2. frontend/dist, when frontend/package.json exists and dist is missing
#      or older than the frontend's sources: npm ci (only when node_modules
#      is missing or older than package-lock.json) && npm run build
#   3. bin/samwise                        go build with the Wails tags
# and checks that the result really is a desktop build (`bin/samwise
# --version` says "desktop build"): a Wails binary built without the tags
# would otherwise start, do nothing and exit 0.
#
# Why `go build` and not `wails build` (see docs/desktop.md): both compile
# with `-tags desktop,production -ldflags "-w -s"` (+ webkit2_41 here), but
# `wails build` also runs frontend:install/build from wails.json on every
# build and regenerates frontend/wailsjs (files in the frontend's tree that
# the app does not use: bridge.js wraps window.go), and its CLI only
# compiles because go.mod pins a newer golang.org/x/tools. The plain build
# has none of that, caches well, and takes -overlay for --ui-placeholder.
#
# Usage: build/app.sh [-o OUT] [--skip-frontend | --ui-placeholder] [--no-app]
#   -o OUT            where the app goes (default bin/samwise)
#   --skip-frontend   embed frontend/dist as it is (fails if it is missing)
#   --ui-placeholder  embed build/desktop/placeholder.html as index.html
#                     instead of the annotator (frontend/ is not touched)
#   --no-app          stop after the engine and the frontend (build/run.sh
#                     without a display)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

out=bin/samwise
frontend=build   # build | skip | placeholder
app=1
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out=$2; shift ;;
    --skip-frontend) frontend=skip ;;
    --ui-placeholder) frontend=placeholder ;;
    --no-app) app=0 ;;
    *) echo "app.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
say() { echo "app.sh: $*" >&2; }
die() { echo "app.sh: error: $*" >&2; exit 1; }

GO=${GO:-go}
export CGO_ENABLED=1

# 1. The engine, which the app starts as its child (found beside the app).
$GO build -o bin/engine ./engine

# 2. The frontend.
dist=frontend/dist/index.html
if [ "$frontend" = build ] && [ -f frontend/package.json ]; then
  stale=""
  if [ ! -f "$dist" ]; then
    stale="frontend/dist is missing"
  else
    newer=$(find frontend/src frontend/index.html frontend/package.json frontend/package-lock.json \
      frontend/vite.config.ts frontend/tsconfig.json -newer "$dist" -print -quit 2>/dev/null || true)
    [ -n "$newer" ] && stale="$newer changed since the last build"
  fi
  if [ -n "$stale" ]; then
    command -v npm >/dev/null || die "npm is needed to build the frontend ($stale): apt-get install npm"
    say "building the frontend: $stale"
    if [ ! -f frontend/node_modules/.package-lock.json ] || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then
      (cd frontend && npm ci --no-audit --no-fund)
    fi
    (cd frontend && npm run build)
  fi
fi
[ "$app" = 1 ] || exit 0

overlay=()
case "$frontend" in
  placeholder)
    ov=$(mktemp "${TMPDIR:-/tmp}/samwise-overlay.XXXXXX.json")
    trap 'rm -f "$ov"' EXIT
    printf '{"Replace":{"%s/frontend/dist/index.html":"%s/build/desktop/placeholder.html"}}\n' "$root" "$root" >"$ov"
    overlay=(-overlay "$ov")
    say "embedding the placeholder page instead of the annotator UI"
    ;;
  *)
    [ -f "$dist" ] || die "frontend/dist is not built (no frontend/package.json to build it from?): build the frontend, or pass --ui-placeholder"
    ;;
esac

# 3. The app. Tags per platform: WebKitGTK 4.1 on Linux (Debian 12 has no
# 4.0 development package); Windows apps also need -H windowsgui.
tags=desktop,production
ldflags="-w -s -X github.com/samwise-app/samwise/app.Version=$(git describe --tags --always --dirty 2>/dev/null || echo dev)"
case "$(uname -s)" in
  Linux)
    tags=$tags,webkit2_41
    pkg-config --exists webkit2gtk-4.1 gtk+-3.0 2>/dev/null ||
      die "libwebkit2gtk-4.1-dev and libgtk-3-dev are needed: build/setup-debian.sh desktop"
    ;;
  MINGW* | MSYS* | CYGWIN*) ldflags="$ldflags -H windowsgui" ;;
esac
mkdir -p "$(dirname "$out")"
$GO build "${overlay[@]}" -tags "$tags" -ldflags "$ldflags" -o "$out" .

# The check: a binary without the Wails tags prints an error and exits 2;
# one with them reports its tags.
version=$("$out" --version 2>&1) || die "$out --version failed: $version"
case "$version" in
  *"desktop build"*) ;;
  *) die "$out is not a desktop build: $version" ;;
esac
[ "$(uname -s)" != Linux ] || case "$version" in *webkit2_41*) ;; *) die "$out lacks the webkit2_41 tag: $version" ;; esac
if [ "$out" != bin/samwise ] && [ "$(cd "$(dirname "$out")" && pwd)" != "$root/bin" ]; then
  # The app finds the engine beside itself first.
  cp bin/engine "$(dirname "$out")/engine"
fi
say "built $out: $version"
