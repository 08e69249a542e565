#!/usr/bin/env bash
# What the browser tests and the web build need, installed when missing: Debian's Chromium and
# CJK fonts (apt-get, as root), and the front end's packages from web/package-lock.json (npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
# npm ci again only when the lockfile changed since the last install.
if ! cmp -s web/package-lock.json web/node_modules/.installed-lock.json 2>/dev/null; then
    (cd web && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.installed-lock.json)
fi
