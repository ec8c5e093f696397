#!/usr/bin/env bash
# scenarios_solve.sh - every shipped scenario must be solvable by its reference
# responder. For each scenarios/*.json:
#   - `firedrill validate --solve` passes (the file is valid; untreated, a
#     fault reaches users; with scenarios/responders/<same name> the incident
#     is contained);
#   - the responder scores better than nobody responding;
# and every scenario has a responder with the same file name (and the other
# way round), whose id matches the file name. Prints a summary table:
# scenario, untreated fault harm and score, responder score, contain and
# mitigate times (minutes after onset).
#   bash scenarios_solve.sh FIREDRILL_BINARY SOURCE_DIR BUILD_DIR
set -uo pipefail
FD=${1:?usage: scenarios_solve.sh FIREDRILL_BINARY SOURCE_DIR BUILD_DIR}
SRC=${2:?usage: scenarios_solve.sh FIREDRILL_BINARY SOURCE_DIR BUILD_DIR}
export FIREDRILL_DATA_DIR="$SRC"
DIR="$SRC/scenarios"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fails=0
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# Runs a command with a time limit when `timeout` exists (one drill takes well
# under a second; a hang must not stall the suite).
limited() {
    if command -v timeout >/dev/null 2>&1; then timeout 120 "$@"; else "$@"; fi
}

# json_field FILE KEY: the first scalar value of "KEY" in a cJSON-printed file.
json_field() {
    sed -n "s/^[[:space:]]*\"$2\":[[:space:]]*\([^,{[]*\),\{0,1\}[[:space:]]*$/\1/p" "$1" | head -n 1
}

# Minutes with one decimal, or "-" for null/missing.
minutes() {
    case "$1" in
    "" | null) echo "-" ;;
    *) awk -v s="$1" 'BEGIN { printf "%.1f", s / 60 }' ;;
    esac
}

shopt -s nullglob
scenarios=("$DIR"/*.json)
responders=("$DIR"/responders/*.json)
if [ ${#scenarios[@]} -eq 0 ]; then
    bad "no scenarios in $DIR"
    exit 1
fi

# Pairing by file name, both ways.
for f in "${scenarios[@]}"; do
    n=$(basename "$f")
    [ -f "$DIR/responders/$n" ] || bad "scenario $n has no responder (expected scenarios/responders/$n)"
done
for r in "${responders[@]}"; do
    n=$(basename "$r")
    [ -f "$DIR/$n" ] || bad "responder $n has no scenario (expected scenarios/$n)"
done

rows="$work/rows"
: >"$rows"
for f in "${scenarios[@]}"; do
    n=$(basename "$f" .json)
    out=$(limited "$FD" validate --solve "$f" 2>&1)
    rc=$?
    if [ $rc -ne 0 ]; then
        bad "$n: firedrill validate --solve exited $rc"
        printf '%s\n' "$out" | sed 's/^/    /' >&2
        printf '%s\tFAIL\t-\t-\t-\t-\t-\n' "$n" >>"$rows"
        continue
    fi
    id=$(printf '%s\n' "$out" | sed -n '1s/^.*: ok (\([a-z0-9-]*\),.*$/\1/p')
    [ "$id" = "$n" ] || bad "$n.json: scenario id \"$id\" differs from the file name"

    u="$work/$n.untreated.json"
    r="$work/$n.responder.json"
    if ! limited "$FD" run "$f" --no-responder --quiet --out "$u" >/dev/null 2>"$work/err"; then
        bad "$n: untreated run failed: $(cat "$work/err")"
        continue
    fi
    if ! limited "$FD" run "$f" --responder "$DIR/responders/$n.json" --quiet --out "$r" \
        >/dev/null 2>"$work/err"; then
        bad "$n: responder run failed: $(cat "$work/err")"
        continue
    fi
    u_harm=$(json_field "$u" fault_weighted)
    u_score=$(json_field "$u" total)
    r_score=$(json_field "$r" total)
    r_contained=$(json_field "$r" contained)
    r_contain=$(minutes "$(json_field "$r" contain_s)")
    r_mitigate=$(minutes "$(json_field "$r" mitigate_s)")
    [ "$r_contained" = "true" ] || bad "$n: the responder run is not contained"
    if ! awk -v a="$r_score" -v b="$u_score" 'BEGIN { exit !(a > b) }'; then
        bad "$n: responder score $r_score is not above the untreated score $u_score"
    fi
    printf '%s\tok\t%s\t%s\t%s\t%s\t%s\n' "$n" "$u_harm" "$u_score" "$r_score" "$r_contain" \
        "$r_mitigate" >>"$rows"
done

echo
printf '%-24s %-5s %14s %10s %10s %9s %9s\n' scenario solve "untreated-harm" "untr-score" \
    "resp-score" "contain" "mitigate"
while IFS=$'\t' read -r n st uh us rs rc rm; do
    printf '%-24s %-5s %14s %10s %10s %9s %9s\n' "$n" "$st" "$uh" "$us" "$rs" "$rc" "$rm"
done <"$rows"
echo "(contain and mitigate: minutes after the fault's onset, with the reference responder)"
echo
if [ $fails -ne 0 ]; then
    echo "scenarios_solve: $fails failure(s)" >&2
    exit 1
fi
echo "scenarios_solve: ${#scenarios[@]} scenarios solved"
