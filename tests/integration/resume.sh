#!/usr/bin/env bash
# resume.sh FIREDRILL SRC BUILD - crash safety of the event log.
# A paced drill is killed (SIGKILL) at several points and resumed from its log;
# a log torn in the middle of a line is resumed too. Each resumed drill must end
# with the same event log, byte for byte, as an uninterrupted run.
set -euo pipefail
FD=$1
export FIREDRILL_DATA_DIR=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$FD" run friendly-prompt --log "$tmp/ref.jsonl" --out "$tmp/ref.json" -q
ref_sha=$(sha256sum < "$tmp/ref.jsonl" | cut -d' ' -f1)
grep -q "\"log_sha256\":[[:space:]]*\"$ref_sha\"" "$tmp/ref.json" || {
    echo "FAIL: log_sha256 in the result does not match the log file"; exit 1; }

survived=0
for delay in 0.4 1.1 2.3; do
    "$FD" run friendly-prompt --pace 900 --log "$tmp/k.jsonl" -q &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    lines=$(wc -l < "$tmp/k.jsonl")
    if grep -q '"type":"end"' "$tmp/k.jsonl"; then
        echo "note: the drill finished before the kill at ${delay}s"
    else
        "$FD" run --resume "$tmp/k.jsonl" -q
        survived=$((survived + 1))
    fi
    if ! cmp -s "$tmp/ref.jsonl" "$tmp/k.jsonl"; then
        echo "FAIL: killed after ${delay}s ($lines lines) and resumed, the log differs"
        diff <(head -c 2000 "$tmp/ref.jsonl") <(head -c 2000 "$tmp/k.jsonl") | head -5
        exit 1
    fi
    echo "ok: killed after ${delay}s at line $lines, resumed, identical log"
done

# A torn last line: cut the log in the middle of a line.
size=$(stat -c %s "$tmp/ref.jsonl")
head -c $((size / 2 + 17)) "$tmp/ref.jsonl" > "$tmp/torn.jsonl"
"$FD" run --resume "$tmp/torn.jsonl" -q 2> "$tmp/torn.err"
grep -q "torn" "$tmp/torn.err" || { echo "FAIL: no notice about the torn line"; exit 1; }
cmp -s "$tmp/ref.jsonl" "$tmp/torn.jsonl" || { echo "FAIL: torn log resumed differently"; exit 1; }
echo "ok: torn last line dropped and rebuilt, identical log"

# Replay reproduces the finished drill and its result.
"$FD" replay "$tmp/ref.jsonl" --out "$tmp/replay.json" > "$tmp/replay.txt"
grep -q "byte-identical" "$tmp/replay.txt" || { echo "FAIL: replay differs"; cat "$tmp/replay.txt"; exit 1; }
cmp -s <(grep -v '"duration_s"' "$tmp/ref.json") <(grep -v '"duration_s"' "$tmp/replay.json") || {
    echo "FAIL: replayed result differs"; exit 1; }
echo "ok: replay is byte-identical"

# A post-mortem a person wrote after the end (the GUI logs its credit so) is
# credited again by a replay, which still reproduces the log byte for byte
# (nobody scripted: a responder's own post-mortem would be credited instead).
"$FD" run friendly-prompt --no-responder --log "$tmp/pm.jsonl" --out "$tmp/nopm.json" -q
end_t=$(sed -n 's/^{"type":"end","t":\([0-9]*\).*/\1/p' "$tmp/pm.jsonl")
echo "{\"type\":\"postmortem\",\"t\":$end_t,\"done\":true,\"eval_ok\":true}" >> "$tmp/pm.jsonl"
"$FD" replay "$tmp/pm.jsonl" --out "$tmp/pm.json" > "$tmp/pm.txt"
grep -q "byte-identical" "$tmp/pm.txt" || { echo "FAIL: replay with a post-mortem differs"; exit 1; }
pm_points() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["score"]["points"]["postmortem"])' "$1"; }
[ "$(pm_points "$tmp/nopm.json")" = 0 ] && [ "$(pm_points "$tmp/pm.json")" != 0 ] || {
    echo "FAIL: the logged post-mortem was not credited ($(pm_points "$tmp/pm.json"))"; exit 1; }
echo "ok: a logged post-mortem replays and is credited ($(pm_points "$tmp/pm.json") points)"
# A damaged or hand-edited log (negative, huge, missing numbers) is replayed
# without a crash and reported as not reproducing.
head -n 1 "$tmp/ref.jsonl" > "$tmp/bad.jsonl"
cat >> "$tmp/bad.jsonl" <<'LOG'
{"type":"stopped","t":-5}
{"type":"inject","t":1e300,"kind":"provider_slowdown","start":-1,"end":"x","region":1e300}
{"type":"served","t":1000,"id":"1","text":-1e308,"turn":1e12}
{"type":"postmortem","t":1e19,"done":true}
{"type":"action","event":"requested","by":"trainee","t":-1e300,"do":"kill_switch","arg":"on"}
LOG
set +e
"$FD" replay "$tmp/bad.jsonl" > "$tmp/bad.txt" 2>&1
rc=$?
set -e
[ "$rc" = 1 ] && grep -q "differs" "$tmp/bad.txt" || {
    echo "FAIL: damaged log: exit $rc"; tail -n 3 "$tmp/bad.txt"; exit 1; }
echo "ok: a damaged log replays without a crash and is reported as differing"
echo "$survived kills survived"
