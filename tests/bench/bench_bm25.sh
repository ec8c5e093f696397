#!/usr/bin/env bash
# bench_bm25.sh - builds bench_bm25 by hand (it needs -lsqlite3, which the CMake
# bench target may not link yet), runs it several times and prints each run's
# figure line, then the range of every figure.
#   tests/bench/bench_bm25.sh [RUNS] [SEED]     (defaults: 3 runs, the bench's seed)
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=${1:-3}
seed=${2:-}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

${CC:-cc} -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wshadow -Wstrict-prototypes \
    -Wmissing-prototypes -Wformat=2 -Werror -Imockllm mockllm/mllm_index.c \
    tests/bench/bench_bm25.c -lsqlite3 -lm -o "$out/bench_bm25"

for i in $(seq 1 "$runs"); do
    echo "== run $i/$runs" >&2
    "$out/bench_bm25" $seed | tee "$out/run$i.txt" >&2
    tail -n 1 "$out/run$i.txt" >>"$out/figures.txt"
done

echo "== figures, one line per run"
cat "$out/figures.txt"
echo "== range over $runs runs (min .. max)"
awk '{
    for (i = 1; i <= NF; i++) {
        split($i, kv, "=")
        if (!(kv[1] in lo)) { order[++n] = kv[1]; lo[kv[1]] = hi[kv[1]] = kv[2] }
        if (kv[2] + 0 < lo[kv[1]] + 0) lo[kv[1]] = kv[2]
        if (kv[2] + 0 > hi[kv[1]] + 0) hi[kv[1]] = kv[2]
    }
} END { for (i = 1; i <= n; i++) printf "%-20s %s .. %s\n", order[i], lo[order[i]], hi[order[i]] }' \
    "$out/figures.txt"
