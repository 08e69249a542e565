#!/usr/bin/env bash
# Store vs peer: builds the store benchmark and the cqrs-es/sqlite-es peer in release mode, runs
# both RUNS times (default 3) on EVENTS events (default 1,000,000), prints the medians and ratios.
#
#   bash bench/store-vs-peer.sh               # the figures of docs/benchmarks.md (minutes)
#   QUICK=1 bash bench/store-vs-peer.sh       # quick mode (what CI runs): debug builds, one run of
#                                             # 5,000 events, 64 writers x 10 appends, batches of 100
set -euo pipefail
cd "$(dirname "$0")/.."
QUICK="${QUICK:-}"
if [ -n "$QUICK" ]; then
    RUNS="${RUNS:-1}"
    EVENTS="${EVENTS:-5000}"
    # Both programs get the same small workload; each fails the script if it fails.
    small=(--writers 64 --appends-per-writer 10 --batch 100)
    store=(cargo test --workspace --bench store --)
    peer_build=(cargo build)
    peer=bench/peer/target/debug/dossier-bench-peer
else
    RUNS="${RUNS:-3}"
    EVENTS="${EVENTS:-1000000}"
    small=()
    store=(cargo bench -p dossier-store --bench store --)
    peer_build=(cargo build --release)
    peer=bench/peer/target/release/dossier-bench-peer
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "machine: $(nproc) CPUs, ${cpu}"
"${store[@]:0:${#store[@]}-1}" --no-run
(cd bench/peer && "${peer_build[@]}")

for i in $(seq "$RUNS"); do
    echo "== run $i of $RUNS"
    "${store[@]}" --events "$EVENTS" "${small[@]}" | tee -a "$out/store.txt"
    "$peer" --events "$EVENTS" "${small[@]}" | tee -a "$out/peer.txt"
done

median() { # file name
    { grep "^BENCH $2 " "$1" || true; } | awk '{print $3}' | sort -n |
        awk '{a[NR]=$1} END {if (NR == 0) print "-"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'
}

echo
echo "medians of $RUNS runs, events/s ($EVENTS events; machine: $(nproc) CPUs, ${cpu})"
printf "%-40s %12s %12s %8s\n" "workload" "store" "peer" "ratio"
row() { # label store-name peer-name
    s="$(median "$out/store.txt" "$2")"
    p="$(median "$out/peer.txt" "$3")"
    r="$(awk -v s="$s" -v p="$p" 'BEGIN { if (s == "-" || p == "-" || p == 0) print "-"; else printf "%.1fx", s / p }')"
    printf "%-40s %12s %12s %8s\n" "$1" "$s" "$p" "$r"
}
row "64 writers, durable single-event appends" appends_64_full appends_64_full
row "  same, peer through CqrsFramework"        appends_64_full execute_64_full
row "bulk import, batches of 1000"              bulk_import bulk_import
row "full read + typed JSON decoding"           scan_typed scan_typed
row "store only: appends with command ids"      appends_64_full_cmdid none
row "store only: appends, synchronous=NORMAL"   appends_64_normal none
row "store only: read_all pages (owned events)"    read_all_typed none
row "store only: verify the hash chain"         verify none

if [ -n "$QUICK" ]; then
    for name in appends_64_full appends_64_full_cmdid appends_64_normal bulk_import scan_typed read_all_typed verify; do
        grep -q "^BENCH $name " "$out/store.txt" || { echo "the store benchmark printed no $name figure"; exit 1; }
    done
    for name in appends_64_full execute_64_full bulk_import scan_typed; do
        grep -q "^BENCH $name " "$out/peer.txt" || { echo "the peer printed no $name figure"; exit 1; }
    done
fi
