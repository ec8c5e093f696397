#!/usr/bin/env bash
# new_scenario.sh - `firedrill new` writes scenarios that work: for every fault kind, the
# scenario and its reference responder pass their JSON Schemas and `firedrill validate
# --solve` (untreated, the fault reaches users; with the responder, it is contained); the
# same with --decoy and for two-fault combinations; and bad input is refused with exit 2
# (unknown kind, with the list of kinds; invalid id; existing file without --force).
#
# usage: bash new_scenario.sh FIREDRILL SRC [BUILD]
set -uo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 FIREDRILL SRC [BUILD]" >&2
    exit 2
fi
FD=$1
SRC=$2
export FIREDRILL_DATA_DIR="$SRC"
PY=/usr/bin/python3
CHECK="$SRC/tests/tools/schema_check.py"
SCHEMA="$SRC/scenarios/schema"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
}
limited() {
    if command -v timeout >/dev/null 2>&1; then timeout 120 "$@"; else "$@"; fi
}
have_schema=0
"$PY" -c 'import jsonschema' 2>/dev/null && have_schema=1

# The kinds, from the schema (the source of truth), must be the ones `new --help` lists.
kinds=$("$PY" -c 'import json,sys
s = json.load(open(sys.argv[1]))
print(" ".join(s["$defs"]["fault"]["properties"]["kind"]["enum"]))' "$SCHEMA/scenario.schema.json")
help=$("$FD" new --help) || fail "new --help exits $?"
for k in $kinds; do
    grep -q "^  $k " <<<"$help" || fail "new --help does not list fault kind $k"
done
[ "$(wc -w <<<"$kinds")" = 13 ] || fail "expected 13 fault kinds in the schema, got: $kinds"

# check NAME ARGS...: writes NAME with `firedrill new`, then validates and solves it.
check() {
    local name=$1
    shift
    local out="$work/out"
    if ! "$FD" new "$name" "$@" --out "$out" >"$work/new.txt" 2>&1; then
        fail "new $name $*: exit $?: $(cat "$work/new.txt")"
        return
    fi
    local s="$out/$name.json" r="$out/responders/$name.json"
    if [ $have_schema = 1 ]; then
        "$PY" "$CHECK" --quiet "$SCHEMA/scenario.schema.json" "$s" ||
            fail "new $name $*: the scenario fails its schema"
        "$PY" "$CHECK" --quiet "$SCHEMA/responder.schema.json" "$r" ||
            fail "new $name $*: the responder fails its schema"
    fi
    local v
    v=$(limited "$FD" validate --solve "$s" 2>&1)
    local rc=$?
    if [ $rc -ne 0 ]; then
        fail "new $name $*: validate --solve exits $rc"
        printf '%s\n' "$v" | sed 's/^/    /'
    else
        printf '%-44s %s\n' "$*" "$(printf '%s\n' "$v" | sed -n 's/^  responder: //p')"
    fi
}

for k in $kinds; do
    check "new-$(tr _ - <<<"$k")" --fault "$k"
done
check new-decoy --fault prompt_regression --decoy
grep -q '"decoy": true' "$work/out/new-decoy.json" || fail "--decoy wrote no decoy change"
check new-combo-a --fault provider_slowdown --fault schema_mismatch
check new-combo-b --fault rate_limiting --fault prompt_regression --decoy

# Bad input.
expect2() { # WHAT COMMAND...
    local what=$1
    shift
    "$@" >"$work/bad.txt" 2>&1
    local rc=$?
    [ $rc = 2 ] || fail "$what: exit $rc, expected 2: $(cat "$work/bad.txt")"
}
expect2 "unknown kind" "$FD" new x --fault no_such_kind --out "$work/bad"
for k in $kinds; do
    grep -q "$k" "$work/bad.txt" || fail "unknown kind: the error does not list $k"
done
expect2 "invalid id" "$FD" new Bad_Id --fault kb_gap --out "$work/bad"
expect2 "no fault" "$FD" new x --out "$work/bad"
expect2 "kind twice" "$FD" new x --fault kb_gap --fault kb_gap --out "$work/bad"
expect2 "unknown option" "$FD" new x --fault kb_gap --frobnicate --out "$work/bad"
[ ! -e "$work/bad" ] || fail "bad input still wrote $(ls -R "$work/bad")"

"$FD" new keep --fault kb_gap --out "$work/keep" >/dev/null || fail "new keep: exit $?"
cp "$work/keep/keep.json" "$work/keep.orig"
expect2 "existing file" "$FD" new keep --fault api_change --out "$work/keep"
grep -q "already exists" "$work/bad.txt" || fail "existing file: $(cat "$work/bad.txt")"
cmp -s "$work/keep/keep.json" "$work/keep.orig" || fail "existing file: it was changed"
rm "$work/keep/keep.json" # the responder alone still blocks
expect2 "existing responder" "$FD" new keep --fault api_change --out "$work/keep"
"$FD" new keep --fault api_change --out "$work/keep" --force >/dev/null ||
    fail "--force: exit $?"
grep -q '"kind": "api_change"' "$work/keep/keep.json" || fail "--force did not overwrite"

# Default folder: ./scenarios when it exists.
mkdir -p "$work/cwd/scenarios"
(cd "$work/cwd" && "$FD" new here --fault kb_gap >/dev/null) || fail "new in ./scenarios: exit $?"
[ -f "$work/cwd/scenarios/here.json" ] && [ -f "$work/cwd/scenarios/responders/here.json" ] ||
    fail "new without --out did not write into ./scenarios"

if [ $fails -ne 0 ]; then
    echo "new_scenario: $fails failure(s)" >&2
    exit 1
fi
echo "new_scenario: every fault kind, a decoy and two combinations solve; bad input refused"
