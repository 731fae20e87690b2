#!/usr/bin/env bash
# The frontend's tests: installs the npm packages when node_modules is
# missing or older than package-lock.json (npm ci), builds the UI, runs the
# unit tests (vitest) and the browser tests (playwright-core driving Debian's
# Chromium against a real `engine serve --ui` on the demo model).
#
#   frontend/test.sh          unit + image browser tests (e2e/image.spec.mjs,
#                             e2e/tools.spec.mjs, e2e/concept.spec.mjs,
#                             e2e/desktop.spec.mjs)
#   frontend/test.sh video    also the video browser tests (video.spec.mjs,
#                             placement.spec.mjs; need the video backend and
#                             ffmpeg)
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd .. && pwd)

stamp=node_modules/.samwise-ci
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi

npm run --silent build
npx vitest run

# The engine the browser tests run (incremental: quick when up to date).
(cd "$root" && CGO_ENABLED=1 go build -o bin/engine ./engine)
if [ ! -x /usr/bin/chromium ] && [ -z "${CHROMIUM:-}" ]; then
  echo "frontend/test.sh: Chromium is missing: apt-get install chromium (or set CHROMIUM)" >&2
  exit 1
fi
node e2e/run.mjs image
if [ "${1:-}" = video ]; then
  node e2e/run.mjs video
fi
