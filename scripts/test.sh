#!/usr/bin/env bash
# Every test: the Rust workspace (suites, benchmarks in quick mode, the documented commands), the
# check that the committed web build is what web/ builds to, and the browser tests of the workbench.
# Each part is one function; add a part by writing a function and listing it in PARTS.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_INCREMENTAL=0

rust() {
    cargo test --workspace
}

web_build() {
    bash scripts/browser-setup.sh
    bash scripts/web-check.sh
}

browser() {
    bash scripts/browser-setup.sh
    cargo build -p dossier
    (cd web && node --test --test-concurrency=1 tests/)
    # The front end's benchmark in quick mode: it still starts, measures and reports.
    (cd web && QUICK=1 node bench/workbench.mjs)
}

PARTS=(rust web_build browser)
for part in "${PARTS[@]}"; do
    echo "== ${part}"
    "${part}"
done
