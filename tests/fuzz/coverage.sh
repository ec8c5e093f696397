#!/usr/bin/env bash
# coverage.sh COVBUILD TARGET CORPUS_DIR... - line and branch coverage that a
# fuzz target's corpus reaches in the project's sources, per file.
#
# COVBUILD is a fuzz build made with source-based coverage on top, e.g.
#   CC=clang cmake -S . -B build-cov -DFIREDRILL_FUZZ=ON -DFIREDRILL_GUI=OFF \
#     -DFIREDRILL_TESTS=OFF -DFIREDRILL_BENCH=OFF \
#     -DCMAKE_C_FLAGS="-fprofile-instr-generate -fcoverage-mapping" \
#     -DCMAKE_EXE_LINKER_FLAGS=-fprofile-instr-generate
#   cmake --build build-cov
# The corpus is replayed once (-runs=0); nothing is fuzzed. Needs
# llvm-profdata and llvm-cov of the same version as clang.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: coverage.sh COVBUILD TARGET CORPUS_DIR..." >&2; exit 2; }
build=$1 target=$2
shift 2
bin="$build/tests/fuzz/fuzz_$target"
[ -x "$bin" ] || { echo "coverage.sh: no $bin" >&2; exit 2; }
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
LLVM_PROFILE_FILE="$tmp/%p.profraw" FIREDRILL_DATA_DIR=${FIREDRILL_DATA_DIR:-$src} \
    "$bin" -runs=0 -detect_leaks=0 "$@" > "$tmp/run.log" 2>&1 ||
    { tail -20 "$tmp/run.log"; exit 1; }
llvm-profdata merge -sparse "$tmp"/*.profraw -o "$tmp/all.profdata"
llvm-cov report "$bin" -instr-profile="$tmp/all.profdata" \
    "$src/mockllm" "$src/sim" 2>/dev/null | awk 'NR <= 2 || $2 > 0 && $2 != $3'
