#!/usr/bin/env bash
# docs_schema.sh - the scenario authoring guide (scenarios/README.md) must not drift from
# the format: tests/tools/check_guide.py checks that every property name and enum value of
# scenarios/schema/*.schema.json, and every world name of assets/, appears in the guide;
# that every JSON example validates (whole files against their schema and `firedrill
# validate`, ```jsonc fragments against the part of the schema they name); and that the
# complete examples pass `firedrill validate --solve`. It also checks that the format
# spec in docs/ points at the guide rather than restating it.
#
# usage: bash docs_schema.sh FIREDRILL SRC [BUILD]
set -uo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 FIREDRILL SRC [BUILD]" >&2
    exit 2
fi
FD=$1
SRC=$2
PY=/usr/bin/python3 # Debian's, with python3-jsonschema; a pyenv python3 on PATH may lack it

if ! "$PY" -c 'import jsonschema' 2>/dev/null; then
    echo "docs_schema: $PY has no jsonschema module (apt-get install python3-jsonschema)" >&2
    exit 1
fi
if [ ! -x "$FD" ]; then
    echo "docs_schema: $FD is not an executable" >&2
    exit 1
fi

fails=0
if command -v timeout >/dev/null 2>&1; then
    timeout 300 "$PY" "$SRC/tests/tools/check_guide.py" --firedrill "$FD" \
        "$SRC/scenarios/README.md" "$SRC" || fails=$((fails + 1))
else
    "$PY" "$SRC/tests/tools/check_guide.py" --firedrill "$FD" "$SRC/scenarios/README.md" \
        "$SRC" || fails=$((fails + 1))
fi

# The guide is the one description of the format: the old spec only points at it.
spec="$SRC/docs/scenario-format-spec.md"
if [ -f "$spec" ]; then
    if ! grep -q 'scenarios/README.md' "$spec"; then
        echo "FAIL: $spec does not point at scenarios/README.md"
        fails=$((fails + 1))
    fi
    if [ "$(wc -l <"$spec")" -gt 40 ]; then
        echo "FAIL: $spec restates the format (over 40 lines): keep it a pointer to the guide"
        fails=$((fails + 1))
    fi
fi

if [ $fails -ne 0 ]; then
    echo "docs_schema: $fails failure(s)" >&2
    exit 1
fi
echo "docs_schema: the guide matches the schemas, and its examples validate and solve"
