#!/usr/bin/env bash
# Installs versitygw, the S3 gateway the integration tests of remote/objstore start on
# loopback as a real S3 server (posix backend on a temporary directory). Idempotent: does
# nothing when build/bin/versitygw already exists and was built from the pinned version.
#
#   build/install-versitygw.sh        prints the path of the binary on stdout
#
# Needs Go and the Go module proxy. Result: build/bin/versitygw (git-ignored).
# Override the version with VERSITYGW_VERSION=vX.Y.Z (tests only need a working S3 server).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=${VERSITYGW_VERSION:-v1.8.0}
module=github.com/versity/versitygw
bin="$root/build/bin/versitygw"

# `go version -m` reads the module version embedded in the binary, so no stamp file is needed.
installed() {
  [ -x "$bin" ] || return 1
  go version -m "$bin" 2>/dev/null | awk -v m="$module" '$1 == "mod" && $2 == m { print $3 }'
}

if [ "$(installed || true)" = "$version" ]; then
  echo "$bin"
  exit 0
fi

command -v go >/dev/null || { echo "install-versitygw: Go is required (https://go.dev/dl/)" >&2; exit 1; }
echo "install-versitygw: building $module/cmd/versitygw@$version (a minute or two)" >&2
mkdir -p "$root/build/bin"
# Build outside the repository's module so its go.mod is neither read nor changed.
(cd "$root/build/bin" && GOBIN="$root/build/bin" go install "$module/cmd/versitygw@$version")

got=$(installed || true)
if [ "$got" != "$version" ]; then
  echo "install-versitygw: $bin reports module version '${got:-none}', want $version" >&2
  exit 1
fi
echo "$bin"
