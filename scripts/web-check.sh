#!/usr/bin/env bash
# The committed build of the workbench (web/dist, embedded in the binary) is exactly what web/
# builds to: rebuild from the lockfile and fail on any difference.
set -euo pipefail
cd "$(dirname "$0")/../web"
npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.installed-lock.json
npm run build --silent >/dev/null
if ! git diff --quiet --exit-code -- dist || [ -n "$(git ls-files --others --exclude-standard -- dist)" ]; then
    echo "web/dist differs from what web/ builds to: run (cd web && npm ci && npm run build) and commit web/dist" >&2
    git status --short -- dist >&2
    exit 1
fi
echo "web/dist matches the build of web/ ($(git ls-files dist | wc -l) files)"
