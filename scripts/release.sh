#!/usr/bin/env bash
# Cross-compiles agglo into single binaries, with the version, commit and
# build date stamped (agglo version prints them), and a SHA-256 list.
#
#   scripts/release.sh                 # version from `git describe`, into dist/
#   scripts/release.sh v0.3.0 out/     # explicit version and folder
#   TARGETS="linux/amd64" scripts/release.sh
#
# The binaries need no C toolchain (CGO_ENABLED=0: the SQLite driver,
# modernc.org/sqlite, is pure Go) and embed the dashboard, the data and the
# map: copy one file and run it.
set -euo pipefail
cd "$(dirname "$0")/.."

version="${1:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}"
out="${2:-dist}"
commit="$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
targets="${TARGETS:-windows/amd64 darwin/arm64 darwin/amd64 linux/amd64 linux/arm64}"

pkg=agglo/internal/version
ldflags="-s -w -X ${pkg}.version=${version} -X ${pkg}.commit=${commit} -X ${pkg}.date=${date}"

mkdir -p "$out"
for target in $targets; do
  goos="${target%/*}"
  goarch="${target#*/}"
  name="agglo-${version}-${goos}-${goarch}"
  [ "$goos" = windows ] && name="${name}.exe"
  echo "building $out/$name" >&2
  CGO_ENABLED=0 GOOS="$goos" GOARCH="$goarch" go build -trimpath -ldflags "$ldflags" -o "$out/$name" ./cmd/agglo
done
(cd "$out" && sha256sum agglo-"${version}"-* > "SHA256SUMS-${version}.txt")
echo "wrote $(ls "$out" | wc -l) files to $out/" >&2
