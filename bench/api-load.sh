#!/usr/bin/env bash
# API load: builds the release binary, starts `dossier serve --demo` on a loopback port with a
# temporary database, and drives it with wrk (installed from Debian if missing) at CONNECTIONS
# connections (default 64) for DURATION (default 10s) per workload: a cadre-profile query, the
# dashboards query, and a mutation (a supervision record). Prints requests/s, p50/p99 latency and
# GraphQL errors per workload, then stops the server with SIGTERM.
#
#   bench/api-load.sh                       # defaults
#   CONNECTIONS=64 DURATION=10s THREADS=2 DURABILITY=full bench/api-load.sh
#   WORKLOADS="mutation" PERF_DIR=/tmp/perf bench/api-load.sh   # one workload, server profiled with perf
#   BIN=/tmp/old/dossier bench/api-load.sh                         # another build of the binary
#   QUICK=1 bash bench/api-load.sh     # quick mode (what CI runs): the debug build the tests use,
#                                      # 4 connections, 1 thread, 1 s per workload, no figure to keep
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK="${QUICK:-}"
if [ -n "$QUICK" ]; then
    CONNECTIONS="${CONNECTIONS:-4}"
    DURATION="${DURATION:-1s}"
    THREADS="${THREADS:-1}"
else
    CONNECTIONS="${CONNECTIONS:-64}"
    DURATION="${DURATION:-10s}"
    THREADS="${THREADS:-2}"
fi
DURABILITY="${DURABILITY:-full}"
# PORT=N listens there; by default the server takes a free port and prints it.
PORT="${PORT:-0}"
WORKLOADS="${WORKLOADS:-profile dashboard mutation}"
PERF_DIR="${PERF_DIR:-}"

. bench/lib/wrk.sh
need_wrk bench/api-load.sh

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "machine: $(nproc) CPUs, ${cpu}; wrk $(wrk --version 2>&1 | head -1 | awk '{print $2}')"

# BIN=path/to/dossier measures another build (e.g. an earlier commit's) side by side.
if [ -n "${BIN:-}" ]; then
    bin="$BIN"
elif [ -n "$QUICK" ]; then
    # The debug binary exactly as `cargo test --workspace` builds it (nothing to rebuild after the tests).
    cargo test --workspace --no-run
    bin="target/debug/dossier"
else
    cargo build --release -p dossier
    bin="target/release/dossier"
fi

work="$(mktemp -d)"
server=""
cleanup() {
    if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
        kill -TERM "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

echo "starting: $bin serve --demo --db $work/bench.db --listen 127.0.0.1:$PORT --durability $DURABILITY"
RUST_LOG=warn "$bin" serve --demo --db "$work/bench.db" --listen "127.0.0.1:$PORT" \
    --durability "$DURABILITY" >"$work/serve.out" 2>"$work/serve.err" &
server=$!
for _ in $(seq 600); do
    grep -q '^admin token' "$work/serve.out" 2>/dev/null && break
    kill -0 "$server" 2>/dev/null || { cat "$work/serve.err"; exit 1; }
    sleep 0.2
done
admin="$(sed -n 's/^admin token (org_admin): //p' "$work/serve.out")"
addr="$(sed -n 's|^Dossier listening on http://\([^ ]*\).*|\1|p' "$work/serve.out")"
[ -n "$admin" ] || { echo "no admin token"; cat "$work/serve.err"; exit 1; }
analyst="$("$bin" token create --db "$work/bench.db" --role analyst --label bench 2>/dev/null)"
url="http://$addr/graphql"

{ lua_post "$admin"; cat <<EOF
local n = 0
function request()
  n = n + 1
  local cid = string.format("c%04d", (n * 7919 + id * 31) % 300 + 1)
  return wrk.format(nil, nil, nil,
    '{"query":"query(\$id: String!) { cadre(id: \$id) { cadreId name unitId rank yearsInRank isLeader } }","variables":{"id":"' .. cid .. '"}}')
end
EOF
} >"$work/profile.lua"

{ lua_post "$analyst"; cat <<EOF
wrk.body = '{"query":"{ dashboards(asOf: \\\\"2026-11-20\\\\") { position figures { dashboard metric key value } } }"}'
EOF
} >"$work/dashboard.lua"

mutation_lua "$admin" "bench-" >"$work/mutation.lua"

# Sanity: each workload answers without errors once.
for w in profile dashboard; do
    wrk -t1 -c1 -d1s -s "$work/$w.lua" "$url" | grep -q 'graphql_errors 0' ||
        { echo "workload $w returns errors"; wrk -t1 -c1 -d1s -s "$work/$w.lua" "$url"; exit 1; }
done

head_of() {
    curl -s -X POST "$url" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
        -d '{"query":"{ head }"}' | sed -n 's/.*"head":\([0-9]*\).*/\1/p'
}

printf "\n%-22s %12s %10s %10s %8s\n" "workload" "requests/s" "p50" "p99" "errors"
failed=""
for w in $WORKLOADS; do
    before="$(head_of)"
    if [ -n "$PERF_DIR" ]; then
        mkdir -p "$PERF_DIR"
        perf record -F 999 -g -p "$server" -o "$PERF_DIR/$w.perf" -- sleep "${DURATION%s}" >/dev/null 2>&1 &
    fi
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$work/$w.lua" "$url" >"$work/$w.txt"
    wrk_row "$w" "$work/$w.txt" || failed=1
    if [ "$w" = mutation ]; then
        after="$(head_of)"
        echo "mutation: log grew from $before to $after ($((after - before)) events appended)"
    fi
done

kill -TERM "$server"
wait "$server" && echo "server stopped cleanly (SIGTERM)" || { echo "server did not stop cleanly"; failed=1; }
server=""
"$bin" verify --db "$work/bench.db"
echo "command: CONNECTIONS=$CONNECTIONS DURATION=$DURATION THREADS=$THREADS DURABILITY=$DURABILITY bench/api-load.sh"
[ -z "$failed" ] || exit 1
