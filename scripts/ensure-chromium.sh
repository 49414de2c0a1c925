#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (no browser is downloaded from the npm registry or a
# CDN). Installs it with apt-get when it is missing: as root directly, otherwise through sudo.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
echo "== installing Chromium from Debian's packages (apt-get install -y chromium)"
if [ "$(id -u)" -eq 0 ]; then
  apt-get install -y chromium >/dev/null || { apt-get update >/dev/null && apt-get install -y chromium >/dev/null; }
elif command -v sudo >/dev/null; then
  sudo apt-get install -y chromium >/dev/null || { sudo apt-get update >/dev/null && sudo apt-get install -y chromium >/dev/null; }
else
  echo "Chromium is not at /usr/bin/chromium and this user cannot install it: run 'apt-get install -y chromium' as root." >&2
  exit 1
fi
/usr/bin/chromium --version
