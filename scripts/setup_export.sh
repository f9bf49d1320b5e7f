#!/usr/bin/env bash
# Optional set-up for offline exports (`make export` and tests/browser/test_export.py), kept out of
# scripts/setup.sh so that people who never export never pay for it:
#   Node's npm (Debian's `nodejs` and `npm` packages when `npm` is missing: Node 18.20 and npm 9.2 on
#   Debian 12), then the npm packages pinned in package.json + package-lock.json, installed into
#   node_modules/ with `npm ci` (never committed): the widget HTML manager, reveal.js, require.js,
#   MathJax 2 and jQuery, which tools/export copies next to the exported pages.
# Idempotent: does nothing (in well under a second) when node_modules/ already matches the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

stamp=node_modules/.minigrad-installed
want=$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "setup-export: installing Debian's nodejs and npm (for the offline export's npm packages)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq nodejs npm >/dev/null
fi

echo "setup-export: installing the pinned npm packages into node_modules/ (npm ci, about a minute once)"
# --ignore-scripts: none of these packages needs an install script (Font Awesome's only prints a banner).
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
