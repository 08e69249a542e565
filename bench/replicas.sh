#!/usr/bin/env bash
# Two replicas on one PostgreSQL log: builds the release binary, builds the demo district in a
# SQLite file and imports it into a scratch PostgreSQL database (on the server of DATABASE_URL,
# default postgres://postgres@127.0.0.1:5432/test; dropped at the end), starts two
# `dossier serve` on that log, then for DURATION (default 10s) drives CONNECTIONS (default 64)
# connections of mutations (a supervision record each), half on each replica, with wrk; while
# they run, bench/replica_lag.py samples the follower lag (a write acknowledged by one replica,
# read on the other with X-Dossier-At-Least). Prints each replica's requests/s, p50 and p99, the
# total, the lag's p50/p99, and verifies the log.
#
#   bash bench/replicas.sh              # release build; not run in CI (a minute)
#   QUICK=1 bash bench/replicas.sh      # quick mode: the tests' debug build, 4 connections, 1 s
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK="${QUICK:-}"
if [ -n "$QUICK" ]; then
    CONNECTIONS="${CONNECTIONS:-4}"
    DURATION="${DURATION:-1s}"
    SAMPLES="${SAMPLES:-20}"
else
    CONNECTIONS="${CONNECTIONS:-64}"
    DURATION="${DURATION:-10s}"
    SAMPLES="${SAMPLES:-300}"
fi
SERVER="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
base="${SERVER%/*}"

. bench/lib/wrk.sh
need_wrk bench/replicas.sh
command -v psql >/dev/null || { echo "bench/replicas.sh needs psql (the PostgreSQL client)" >&2; exit 1; }

if [ -n "${BIN:-}" ]; then
    bin="$BIN"
elif [ -n "$QUICK" ]; then
    cargo test --workspace --no-run
    bin="target/debug/dossier"
else
    cargo build --release -p dossier
    bin="target/release/dossier"
fi

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "machine: $(nproc) CPUs, ${cpu}; $(psql "$SERVER" -Atc 'select version()' | cut -d, -f1)"

work="$(mktemp -d)"
name="dossier_bench_replicas_$$"
db="$base/$name"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    psql "$SERVER" -qc "DROP DATABASE IF EXISTS \"$name\"" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

"$bin" demo --db "$work/demo.db" >/dev/null
"$bin" export --db "$work/demo.db" --out "$work/demo.ndjson" >/dev/null
psql "$SERVER" -qc "CREATE DATABASE \"$name\""
"$bin" import --db "$db" --in "$work/demo.ndjson" >/dev/null
admin="$("$bin" token create --db "$db" --role org_admin --label bench 2>/dev/null)"

# Started here, not in a command substitution: a subshell would keep the pids to itself, and
# the replicas would outlive the script.
start() { # name
    RUST_LOG=warn "$bin" serve --db "$db" --listen 127.0.0.1:0 >"$work/serve$1.out" 2>"$work/serve$1.err" &
    pids+=($!)
}
address() { # name
    for _ in $(seq 600); do
        grep -q 'Dossier listening on' "$work/serve$1.out" 2>/dev/null && break
        sleep 0.2
    done
    sed -n 's|^Dossier listening on http://\([^ ]*\).*|\1|p' "$work/serve$1.out"
}
start a
start b
[ "${#pids[@]}" -eq 2 ] || { echo "bench/replicas.sh lost track of its replicas" >&2; exit 1; }
a="$(address a)"
b="$(address b)"
[ -n "$a" ] && [ -n "$b" ] || { echo "a replica did not start"; cat "$work"/serve*.err; exit 1; }
echo "replicas: http://$a and http://$b on $name"

for r in a b; do
    mutation_lua "$admin" "bench-$r-" >"$work/mutation-$r.lua"
done

half=$((CONNECTIONS / 2 > 0 ? CONNECTIONS / 2 : 1))
wrk -t1 -c"$half" -d"$DURATION" --latency -s "$work/mutation-a.lua" "http://$a/graphql" >"$work/wrk-a.txt" &
wa=$!
wrk -t1 -c"$half" -d"$DURATION" --latency -s "$work/mutation-b.lua" "http://$b/graphql" >"$work/wrk-b.txt" &
wb=$!
sleep 1
python3 bench/replica_lag.py "http://$a" "http://$b" "$admin" "$SAMPLES" >"$work/lag.txt"
wait "$wa" "$wb"

printf "\n%-22s %12s %10s %10s %8s\n" "mutations on" "requests/s" "p50" "p99" "errors"
total=0
failed=""
for r in a b; do
    wrk_row "replica $r" "$work/wrk-$r.txt" || failed=1
    total="$(awk -v t="$total" -v r="$WRK_RPS" 'BEGIN {printf "%.2f", t + r}')"
done
printf "%-22s %12s\n" "both replicas" "$total"
echo "follower lag under that load ($SAMPLES samples, a write on one replica read on the other):"
sed 's/^/  /' "$work/lag.txt"
for p in "${pids[@]}"; do kill -TERM "$p"; done
for p in "${pids[@]}"; do wait "$p" || { echo "a replica did not stop cleanly"; failed=1; }; done
pids=()
# Nothing may still hold the scratch database (it is dropped on exit).
if pgrep -f "serve --db $db " >/dev/null; then
    echo "a replica of $name is still running"; failed=1
fi
"$bin" verify --db "$db"
echo "command: CONNECTIONS=$CONNECTIONS DURATION=$DURATION SAMPLES=$SAMPLES bench/replicas.sh"
[ -z "$failed" ] || exit 1
