#!/usr/bin/env bash
# fuzz_smoke.sh FIREDRILL SRC BUILD - a short run of every libFuzzer target in
# tests/fuzz on seeds built from the repository (make_corpora.py), failing on
# any crash, hang, leak or broken oracle; the saved crash inputs of
# tests/data/fuzz-regressions are among the seeds.
#
# The targets are looked for in $FIREDRILL_FUZZ_BUILD (a build folder or its
# tests/fuzz), then in BUILD/tests/fuzz; a build without them (any build not
# configured with CC=clang -DFIREDRILL_FUZZ=ON) skips. Knobs:
#   FUZZ_SMOKE_SECONDS  seconds per target (default 15)
#   FUZZ_SMOKE_JOBS     targets run at once (default 2)
# With the defaults the whole smoke takes under 2 minutes on 2 cores.
# Crash inputs are kept in BUILD/fuzz-artifacts/<target>/.
set -uo pipefail
SRC=$2
BUILD=$3
SECONDS_EACH=${FUZZ_SMOKE_SECONDS:-15}
JOBS=${FUZZ_SMOKE_JOBS:-2}
TARGETS=(scenario responder fault world eval_set postmortem timeline json http)

dir=""
for d in "${FIREDRILL_FUZZ_BUILD:-}" "${FIREDRILL_FUZZ_BUILD:-}/tests/fuzz" "$BUILD/tests/fuzz"; do
    if [ -n "$d" ] && [ -x "$d/fuzz_scenario" ]; then
        dir=$d
        break
    fi
done
if [ -z "$dir" ]; then
    echo "SKIPPED: fuzz targets not built (configure with CC=clang -DFIREDRILL_FUZZ=ON)"
    exit 0
fi
for t in "${TARGETS[@]}"; do
    [ -x "$dir/fuzz_$t" ] || { echo "FAIL: $dir/fuzz_$t is missing"; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$SRC/tests/fuzz/make_corpora.py" "$SRC" "$tmp/seeds" > /dev/null ||
    { echo "FAIL: make_corpora.py"; exit 1; }
export FIREDRILL_DATA_DIR=$SRC
artifacts="$BUILD/fuzz-artifacts"

# run TARGET: fuzz it for SECONDS_EACH seconds; the result goes to $tmp/TARGET.rc
run() {
    local t=$1
    mkdir -p "$tmp/$t.work" "$artifacts/$t"
    "$dir/fuzz_$t" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -dict="$tmp/seeds/$t.dict" -artifact_prefix="$artifacts/$t/" \
        "$tmp/$t.work" "$tmp/seeds/$t" > "$tmp/$t.log" 2>&1
    echo $? > "$tmp/$t.rc"
}

running=0
for t in "${TARGETS[@]}"; do
    run "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$JOBS" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait

failed=0
for t in "${TARGETS[@]}"; do
    rc=$(cat "$tmp/$t.rc" 2>/dev/null || echo 99)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/$t.log")
    cov=$(grep -o 'cov: [0-9]*' "$tmp/$t.log" | tail -1)
    if [ "$rc" = 0 ]; then
        printf 'ok: fuzz_%-10s %8s runs, %s\n' "$t" "${runs:-?}" "${cov:-cov: ?}"
    else
        failed=1
        echo "FAIL: fuzz_$t exited $rc; the end of its log:"
        grep -E 'fuzz oracle|ERROR|SUMMARY|Test unit written|^    #[0-9]' "$tmp/$t.log" | head -40
        echo "(crash inputs in $artifacts/$t/; replay one with $dir/fuzz_$t FILE)"
    fi
done
exit $failed
