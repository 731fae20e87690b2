#!/usr/bin/env bash
# Fetches the ONNX Runtime shared library pinned in ONNXRUNTIME_VERSION for this host
# (or for OS/ARCH given as arguments) from the onnxruntime-node npm package, which ships
# the native libraries inside the package. Idempotent: does nothing when the library is
# already in place.
#
#   build/fetch-onnxruntime.sh [os arch]     e.g. linux x64 | linux arm64 | darwin arm64
#
# Result: build/lib/onnxruntime/<os>-<arch>/<library>
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=$(tr -d '[:space:]' <"$root/ONNXRUNTIME_VERSION")

os=${1:-$(uname -s | tr '[:upper:]' '[:lower:]')}
arch=${2:-$(uname -m)}
case "$arch" in x86_64|amd64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; esac
case "$os" in
  linux) lib=libonnxruntime.so.1 ;;
  darwin) lib=libonnxruntime.1.dylib ;;
  *) echo "fetch-onnxruntime: unsupported OS '$os' (linux and darwin are supported)" >&2; exit 2 ;;
esac

dest="$root/build/lib/onnxruntime/$os-$arch"
stamp="$dest/VERSION"
if [ -f "$dest/$lib" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then
  exit 0
fi

command -v npm >/dev/null || { echo "fetch-onnxruntime: npm is required (apt-get install nodejs npm)" >&2; exit 1; }
cache="$root/build/cache"
mkdir -p "$cache" "$dest"
tgz="$cache/onnxruntime-node-$version.tgz"
if [ ! -s "$tgz" ]; then
  echo "fetch-onnxruntime: downloading onnxruntime-node@$version from the npm registry" >&2
  tmp=$(mktemp -d "$cache/pack.XXXXXX")
  (cd "$tmp" && npm pack --silent "onnxruntime-node@$version" >/dev/null)
  mv "$tmp"/onnxruntime-node-"$version".tgz "$tgz"
  rmdir "$tmp"
fi

src="package/bin/napi-v6/$os/$arch"
tmp=$(mktemp -d "$cache/extract.XXXXXX")
tar -xzf "$tgz" -C "$tmp" "$src" || { echo "fetch-onnxruntime: $os/$arch is not in onnxruntime-node@$version" >&2; rm -rf "$tmp"; exit 1; }
# Libraries only: the Node binding itself is not needed.
find "$tmp/$src" -maxdepth 1 \( -name '*.so*' -o -name '*.dylib' \) -exec cp -P {} "$dest/" \;
rm -rf "$tmp"
echo "$version" >"$stamp"
echo "fetch-onnxruntime: $dest/$lib ($version)" >&2
