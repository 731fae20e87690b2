#!/usr/bin/env bash
# Checks the gateway: installs the pinned dev dependencies from package-lock.json when
# node_modules is missing or stale (npm ci, local only), type-checks, builds, and runs the tests
# in workerd through Miniflare. Exit status is the test result. Needs Node >= 20 and npm.
set -euo pipefail
cd "$(dirname "$0")"

stamp=node_modules/.samwise-package-lock.json
if [ ! -d node_modules ] || ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
  # --ignore-scripts: workerd's binary comes from its per-platform optional dependency; the
  # postinstall only verifies it. miniflare declares node >= 22 but runs on node 20.
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

npm run --silent typecheck
npm run --silent build
exec node --test --test-concurrency=2 build/test/*.test.js
