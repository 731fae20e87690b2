#!/usr/bin/env bash
# What `make run` runs: the desktop app, or — on Linux without a display
# (DISPLAY and WAYLAND_DISPLAY empty: a server, a container, SSH) — the
# engine with the annotator as a web UI, at the URL it prints.
# Arguments go to bin/samwise, or to `engine serve --ui`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(uname -s)" = Linux ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run: no display (DISPLAY and WAYLAND_DISPLAY are empty), so no desktop window:" >&2
  echo "run: starting the engine with the web UI instead; open the URL below in a browser" >&2
  build/app.sh --no-app
  [ -f frontend/dist/index.html ] || { echo "run: frontend/dist is not built (no frontend/package.json?)" >&2; exit 1; }
  exec bin/engine serve --ui "$@"
fi

[ "$(uname -s)" != Linux ] || build/setup-debian.sh desktop
build/app.sh
exec bin/samwise "$@"
