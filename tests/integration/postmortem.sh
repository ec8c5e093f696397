#!/usr/bin/env bash
# postmortem.sh FIREDRILL SRC BUILD - after the drill, end to end: a headless
# drill whose responder writes a post-mortem and an eval case; the case fails on
# the faulty configuration and passes on the healthy one; a useless case earns no
# credit; the Markdown, the eval set and the leaderboard come out and hold what
# they should.
set -euo pipefail
FD=$1
export FIREDRILL_DATA_DIR=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$FD" run friendly-prompt --log "$tmp/drill.jsonl" --postmortem "$tmp/pm.md" \
    --eval-set "$tmp/set.json" --out "$tmp/alice.json" -q
/usr/bin/python3 - "$tmp/alice.json" "$tmp/set.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
pm = r["postmortem"]
assert pm["complete_in_time"] is True, pm
assert pm["eval_cases"] == 1 and pm["eval_cases_proven"] == 1, pm
assert r["score"]["parts"]["postmortem"] == 1.0, r["score"]
s = json.load(open(sys.argv[2]))
assert len(s["cases"]) == 1
c = s["cases"][0]
assert c["provenance"]["drill"] == "friendly-prompt" and c["provenance"]["created_by"] == "responder"
assert any(a["type"] == "contains_fact" for a in c["assertions"])
PY
for h in "What happened?" "When did it start?" "Why wasn't it caught" "hard to diagnose" \
         "prevents it" "## Timeline" "fault onset" "first alert" "**yes**"; do
    grep -qF "$h" "$tmp/pm.md" || fail "post-mortem lacks \"$h\""
done
echo "ok: responder post-mortem complete, its eval case catches the incident"

# The eval set on its own: the case fails faulty and passes healthy.
"$FD" eval "$tmp/set.json" --scenario friendly-prompt > "$tmp/eval.txt" || fail "eval: $(cat "$tmp/eval.txt")"
grep -q "faulty : FAIL" "$tmp/eval.txt" && grep -q "healthy: PASS" "$tmp/eval.txt" || fail "eval output"
"$FD" eval "$tmp/set.json" --scenario friendly-prompt --config healthy > /dev/null || fail "healthy"
if "$FD" eval "$tmp/set.json" --scenario friendly-prompt --config faulty > /dev/null; then
    fail "the case passes on the faulty configuration"
fi
echo "ok: eval set run healthy, faulty and both"

# Appending the same case again de-duplicates it.
"$FD" postmortem "$tmp/drill.jsonl" --answers <(/usr/bin/python3 - "$tmp/set.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(json.dumps({"scenario": "friendly-prompt", "answers": {}, "eval_cases": s["cases"]}))
PY
) --eval-set "$tmp/set.json" --out /dev/null 2> "$tmp/dedup.txt"
grep -q "0 cases added, 1 already there, 1 in all" "$tmp/dedup.txt" || fail "dedup: $(cat "$tmp/dedup.txt")"
echo "ok: eval set de-duplicates"

# A useless case (asserting nothing the fault breaks) earns no credit.
cat > "$tmp/useless.json" <<'JSON'
{"scenario": "friendly-prompt",
 "answers": {"what_happened": "something broke"},
 "eval_cases": [{"query": "How long do I have to ask for a refund?", "query_id": "q0001",
                 "assertions": [{"type": "latency_under_ms", "ms": 600000}],
                 "provenance": {"at_s": 900}}]}
JSON
"$FD" postmortem "$tmp/drill.jsonl" --answers "$tmp/useless.json" --out "$tmp/useless.md"
grep -q "| no |" "$tmp/useless.md" || fail "the useless case was credited"
grep -q "_Not answered yet._" "$tmp/useless.md" || fail "unanswered questions not marked"
echo "ok: a useless case catches nothing"

# Bad post-mortem input: a clear error, exit 2.
echo '{"answers": {"what_hapened": "x"}}' > "$tmp/bad.json"
set +e
"$FD" postmortem "$tmp/drill.jsonl" --answers "$tmp/bad.json" > /dev/null 2> "$tmp/bad.txt"
rc=$?
set -e
[ "$rc" = 2 ] || fail "bad answers exit $rc"
grep -q "bad.json:1:30: answers.what_hapened: unknown field" "$tmp/bad.txt" || fail "$(cat "$tmp/bad.txt")"
echo "ok: bad post-mortem file reported at its position"

# A leaderboard over several trainees.
"$FD" run friendly-prompt --no-responder --out "$tmp/bob.json" -q
"$FD" run friendly-prompt --seed 7 --out "$tmp/carol.json" -q
"$FD" run quiet-thursday --out "$tmp/dave.json" -q
"$FD" report "$tmp/alice.json" "$tmp/bob.json" "$tmp/carol.json" "$tmp/dave.json" \
    --md "$tmp/report.md" --csv "$tmp/report.csv"
grep -q "## friendly-prompt" "$tmp/report.md" || fail "report lacks the scenario"
grep -q "Scenarios trainees fail most" "$tmp/report.md" || fail "report lacks the failure table"
head -1 "$tmp/report.csv" | grep -q "scenario,trainee,score" || fail "csv header"
[ "$(wc -l < "$tmp/report.csv")" = 5 ] || fail "csv rows"
# alice (with responder) ranks above bob (nobody responding).
awk '/## friendly-prompt/,0' "$tmp/report.md" | grep -m1 "| 1 |" | grep -qv bob || fail "ranking"
echo "ok: leaderboard, distributions and CSV"
