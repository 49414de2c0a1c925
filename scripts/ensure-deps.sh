#!/usr/bin/env bash
# Installs dependencies from the lockfile when node_modules is missing or older than it.
# Called (under scripts/with-node.sh) by the README's commands, so a fresh clone needs nothing else.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== installing dependencies (npm ci) with Node $(node --version)"
  npm ci --no-audit --no-fund --loglevel=error
fi
