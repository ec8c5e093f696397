#!/usr/bin/env bash
# debrief.sh FIREDRILL SRC BUILD - `firedrill debrief` end to end: a headless
# drill with --log and --out, then its debrief plot drawn with no display at
# all, at the default and at a requested size (read back from the PNG's IHDR);
# bad input (not a log, a damaged log, a missing file, a log whose scenario
# cannot be found, a result of another drill, a bad size) exits 2 and says why.
# Skipped (exit 0) when the build has no GUI, which says so itself.
set -euo pipefail
FD=$1
export FIREDRILL_DATA_DIR=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# The PNG's size from its IHDR chunk, as WxH.
png_size() {
    /usr/bin/python3 - "$1" <<'PY'
import struct, sys
with open(sys.argv[1], "rb") as f:
    head = f.read(24)
if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
    sys.exit("not a PNG: " + sys.argv[1])
w, h = struct.unpack(">II", head[16:24])
print(f"{w}x{h}")
PY
}

# Exit status 2 and a message holding $1; the command follows.
expect_2() {
    local want=$1
    shift
    set +e
    "$@" > "$tmp/out.txt" 2> "$tmp/err.txt"
    local rc=$?
    set -e
    [ "$rc" -eq 2 ] || fail "exit $rc, not 2: $* ($(cat "$tmp/err.txt"))"
    grep -qF -- "$want" "$tmp/err.txt" || fail "\"$*\" does not say \"$want\": $(cat "$tmp/err.txt")"
}

"$FD" debrief --help > "$tmp/help.txt" 2>&1 || true
grep -q "usage: firedrill debrief LOG" "$tmp/help.txt" ||
    fail "no debrief command in $FD (its line in sim/cli/firedrill.c?): $(head -n 1 "$tmp/help.txt")"
"$FD" run friendly-prompt --log "$tmp/drill.jsonl" --out "$tmp/r.json" > /dev/null 2>&1

# No display: neither X11 nor Wayland, and no SDL video driver chosen.
nodisplay=(env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER)
set +e
"${nodisplay[@]}" "$FD" debrief "$tmp/drill.jsonl" --out "$tmp/default.png" 2> "$tmp/err.txt"
rc=$?
set -e
if [ "$rc" -eq 2 ] && grep -q "this build has no GUI" "$tmp/err.txt"; then
    echo "skip: this build has no GUI"
    exit 0
fi
[ "$rc" -eq 0 ] || fail "debrief without a display: exit $rc: $(cat "$tmp/err.txt")"
[ "$(png_size "$tmp/default.png")" = 1600x1000 ] || fail "default size: $(png_size "$tmp/default.png")"
grep -q "estimated from the log" "$tmp/err.txt" || fail "without --result: $(cat "$tmp/err.txt")"
echo "ok: debrief at the default size, no display"

SDL_VIDEODRIVER=dummy "$FD" debrief "$tmp/drill.jsonl" --out "$tmp/d.png" --size 1200x800 \
    --result "$tmp/r.json" 2> "$tmp/err.txt" || fail "debrief --size: $(cat "$tmp/err.txt")"
[ -s "$tmp/d.png" ] || fail "no PNG written"
[ "$(png_size "$tmp/d.png")" = 1200x800 ] || fail "requested 1200x800, got $(png_size "$tmp/d.png")"
grep -q "as scored" "$tmp/err.txt" || fail "with --result: $(cat "$tmp/err.txt")"
echo "ok: debrief at 1200x800 with the scored times"

# Drawing is deterministic: the same log and size give the same bytes.
"$FD" debrief "$tmp/drill.jsonl" --out "$tmp/d2.png" --size 1200x800 --result "$tmp/r.json" \
    2> /dev/null
cmp -s "$tmp/d.png" "$tmp/d2.png" || fail "two renderings of one log differ"
echo "ok: the same log draws the same PNG"

# A killed drill: the log stops mid-way, its last line torn.
head -c "$(($(stat -c %s "$tmp/drill.jsonl") * 2 / 5))" "$tmp/drill.jsonl" > "$tmp/killed.jsonl"
"$FD" debrief "$tmp/killed.jsonl" --out "$tmp/killed.png" 2> "$tmp/err.txt" \
    || fail "a killed drill's log: $(cat "$tmp/err.txt")"
grep -q "torn line" "$tmp/err.txt" || fail "no word of the torn line: $(cat "$tmp/err.txt")"
echo "ok: a killed drill's log draws what it holds"

# Bad input.
echo "hello, not a log" > "$tmp/bad.jsonl"
expect_2 "bad.jsonl: line 1: not a firedrill event log" \
    "$FD" debrief "$tmp/bad.jsonl" --out "$tmp/bad.png"
[ ! -e "$tmp/bad.png" ] || fail "a PNG was written for a bad log"
{ head -n 5 "$tmp/drill.jsonl"; echo '{"type":"minute",'; tail -n 3 "$tmp/drill.jsonl"; } \
    > "$tmp/damaged.jsonl"
expect_2 "damaged.jsonl: line 6: not a JSON object" \
    "$FD" debrief "$tmp/damaged.jsonl" --out "$tmp/bad.png"
expect_2 "cannot read" "$FD" debrief "$tmp/missing.jsonl" --out "$tmp/bad.png"
sed '1s/"scenario":"friendly-prompt"/"scenario":"no-such-drill"/; 1s/"scenario_file":"[^"]*"/"scenario_file":"\/nowhere\/x.json"/' \
    "$tmp/drill.jsonl" > "$tmp/lost.jsonl"
expect_2 "cannot load the scenario" "$FD" debrief "$tmp/lost.jsonl" --out "$tmp/bad.png"
"$FD" run friendly-prompt --no-responder --out "$tmp/other.json" > /dev/null 2>&1
expect_2 "another drill" \
    "$FD" debrief "$tmp/drill.jsonl" --out "$tmp/bad.png" --result "$tmp/other.json"
expect_2 "--size wants WxH" "$FD" debrief "$tmp/drill.jsonl" --out "$tmp/bad.png" --size 100x100
expect_2 "usage: firedrill debrief" "$FD" debrief "$tmp/drill.jsonl"
echo "ok: bad logs, results and sizes exit 2 with a message"
