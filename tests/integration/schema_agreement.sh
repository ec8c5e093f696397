#!/usr/bin/env bash
# schema_agreement.sh - the JSON Schemas in scenarios/schema/ and the C loader
# (`firedrill validate`) must agree on every file we have:
#   1. every scenarios/*.json and scenarios/responders/*.json passes both;
#   2. every tests/data/bad/*.json is rejected by the loader (exit 2, its
#      diagnostic at the place NAME.expect says) and by the schema, except the
#      files in tests/data/bad/SEMANTIC_ONLY, which the schema must accept (their
#      errors are beyond a schema; the list stays honest that way);
#   3. every tests/data/good/*.json passes both.
# Files named responder-*.json are responder policies, the rest scenarios.
#
# usage: bash schema_agreement.sh FIREDRILL SRC BUILD
set -uo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 FIREDRILL SRC [BUILD]" >&2
    exit 2
fi
FIREDRILL=$1
SRC=$2
PY=/usr/bin/python3 # Debian's, with python3-jsonschema; a pyenv python3 on PATH may lack it
CHECK="$SRC/tests/tools/schema_check.py"
SCENARIO_SCHEMA="$SRC/scenarios/schema/scenario.schema.json"
RESPONDER_SCHEMA="$SRC/scenarios/schema/responder.schema.json"
BAD="$SRC/tests/data/bad"
GOOD="$SRC/tests/data/good"

if ! "$PY" -c 'import jsonschema' 2>/dev/null; then
    echo "schema_agreement: $PY has no jsonschema module (apt-get install python3-jsonschema)" >&2
    exit 1
fi
if [ ! -x "$FIREDRILL" ]; then
    echo "schema_agreement: $FIREDRILL is not an executable" >&2
    exit 1
fi

failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# The kind of a corpus file, by name.
kind_of() {
    case $(basename "$1") in responder-*) echo responder ;; *) echo scenario ;; esac
}

schema_for() { # KIND
    if [ "$1" = responder ]; then echo "$RESPONDER_SCHEMA"; else echo "$SCENARIO_SCHEMA"; fi
}

# Runs the loader on FILE of KIND; sets rc and out.
run_loader() { # KIND FILE
    if [ "$1" = responder ]; then
        out=$("$FIREDRILL" validate --responder "$2" 2>&1)
    else
        out=$("$FIREDRILL" validate "$2" 2>&1)
    fi
    rc=$?
}

# Schema verdict for FILE of KIND: "valid" or "invalid" (else the tool failed).
schema_verdict() { # KIND FILE
    local o
    o=$("$PY" "$CHECK" "$(schema_for "$1")" "$2" 2>&1)
    case $? in
    0) echo valid ;;
    1) echo invalid ;;
    *) echo "error: $o" ;;
    esac
}

# Both must accept FILE of KIND.
expect_good() { # KIND FILE
    local v
    run_loader "$1" "$2"
    [ "$rc" -eq 0 ] || fail "$2: the loader rejects it (exit $rc): $(echo "$out" | head -3)"
    v=$(schema_verdict "$1" "$2")
    [ "$v" = valid ] ||
        fail "$2: the schema rejects it: $("$PY" "$CHECK" "$(schema_for "$1")" "$2" 2>&1 | head -1)"
}

# ---- 1. the real scenarios and responders ------------------------------------------------
shopt -s nullglob
scenarios=("$SRC"/scenarios/*.json)
responders=("$SRC"/scenarios/responders/*.json)
for f in "${scenarios[@]}"; do
    expect_good scenario "$f"
done
for f in "${responders[@]}"; do
    expect_good responder "$f"
done
echo "schema_agreement: ${#scenarios[@]} scenarios, ${#responders[@]} responders checked"

# ---- 2. the bad corpus -------------------------------------------------------------------
semantic=$(grep -v '^[[:space:]]*#' "$BAD/SEMANTIC_ONLY" | sed '/^[[:space:]]*$/d')
for name in $semantic; do
    [ -f "$BAD/$name" ] || fail "SEMANTIC_ONLY lists $name, which is not in $BAD"
done
bad=("$BAD"/*.json)
[ ${#bad[@]} -ge 30 ] || fail "the bad corpus has ${#bad[@]} files, expected at least 30"
nsemantic=0
for f in "${bad[@]}"; do
    name=$(basename "$f")
    expect="${f%.json}.expect"
    kind=$(kind_of "$f")
    run_loader "$kind" "$f"
    if [ "$rc" -ne 2 ]; then
        fail "$name: the loader should exit 2, exited $rc: $(echo "$out" | head -2)"
    elif [ ! -f "$expect" ]; then
        fail "$name: no ${name%.json}.expect beside it"
    else
        # The position and path must match; the message may name world contents that
        # differ between the unit-test world and assets/.
        want=$(sed -E -n '1s/^(FILE:[0-9]+:[0-9]+: [^ ]+: ).*/\1/p' "$expect")
        want=${want/#FILE/$f}
        if [ -z "$want" ]; then
            fail "$name: ${name%.json}.expect does not start 'FILE:LINE:COL: PATH: '"
        elif ! grep -qF -- "$want" <<<"$out"; then
            fail "$name: expected a diagnostic starting '$want', got: $(echo "$out" | head -2)"
        fi
    fi
    v=$(schema_verdict "$kind" "$f")
    # Here-strings, not `printf | grep -q`: with pipefail, grep -q quitting early can
    # SIGPIPE the writer and fail the pipeline at random.
    if grep -qxF -- "$name" <<<"$semantic"; then
        nsemantic=$((nsemantic + 1))
        [ "$v" = valid ] ||
            fail "$name: in SEMANTIC_ONLY but the schema rejects it ($v): take it off the list"
    else
        [ "$v" = invalid ] || fail "$name: the schema accepts it ($v) but the loader rejects it"
    fi
done
echo "schema_agreement: ${#bad[@]} bad files checked ($nsemantic semantic-only)"

# ---- 3. the good corpus ------------------------------------------------------------------
good=("$GOOD"/*.json)
for f in "${good[@]}"; do
    expect_good "$(kind_of "$f")" "$f"
done
echo "schema_agreement: ${#good[@]} good files checked"

if [ "$failures" -gt 0 ]; then
    echo "schema_agreement: $failures failure(s)"
    exit 1
fi
echo "schema_agreement: ok"
