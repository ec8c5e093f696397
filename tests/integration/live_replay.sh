#!/usr/bin/env bash
# live_replay.sh - drills run live replay byte for byte and give the same
# result. `serve`: requests from curl (catalogue questions, free text with
# escapes and non-ASCII, a structured answer, segment headers, a
# conversation), trainee actions and a trainer's live fault all reach the
# event log; stopped with SIGTERM, it writes its result (--out); `firedrill
# replay` of the log serves everything again at the same points, stops where
# the server stopped, writes the same log and the same result. A log with one
# served request altered no longer replays identically. `gui` (offscreen,
# when built): its --out result at --at equals the replay's.
#   bash live_replay.sh FIREDRILL_BINARY SOURCE_DIR BUILD_DIR
set -euo pipefail
FD=${1:?usage: live_replay.sh FIREDRILL_BINARY SOURCE_DIR BUILD_DIR}
SRC=${2:?}
. "$SRC/tests/integration/lib/serve.sh"
work=$(mktemp -d)
trap 'serve_cleanup; rm -rf "$work"' EXIT
export FIREDRILL_DATA_DIR=$SRC

serve_start "$FD" "$work" --speed 120 --no-delay --log "$work/drill.jsonl" --out "$work/live.json" \
    --api-key k-replay \
    --trainee-token t-replay --trainer-token a-replay --quiet
B=$SERVE_URL
chat() { # chat BODY [HEADER...]
    local body=$1
    shift
    curl -s -o /dev/null -w '%{http_code}\n' "$B/v1/chat/completions" \
        -H 'Authorization: Bearer k-replay' -H 'Content-Type: application/json' "$@" -d "$body"
}
codes=""
for round in 1 2 3; do
    codes+=$(chat '{"model":"nw-large","messages":[{"role":"user","content":"How do I reset my password?"}]}')
    codes+=$(chat '{"model":"nw-large","messages":[{"role":"user","content":"Quick one \"quoted\", tab\there, caf\u00e9 \\ and ünïcödé: which plans include SSO?"}]}')
    codes+=$(chat '{"model":"nw-large","response_format":{"type":"json_object"},"messages":[{"role":"user","content":"What does the Team plan cost?"}]}' \
        -H 'x-firedrill-region: eu' -H 'x-firedrill-plan: enterprise')
    codes+=$(chat '{"model":"nw-large","max_tokens":40,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hi"},{"role":"assistant","content":"Hello!"},{"role":"user","content":"How do I export my data?"}]}' \
        -H 'x-firedrill-client: api-sdk-2')
    if [ "$round" = 1 ]; then
        curl -s -o /dev/null "$B/admin/faults" -H 'Authorization: Bearer a-replay' \
            -d '{"id":"replay-429","kind":"rate_limit_errors","params":{"rpm":2}}'
    fi
    if [ "$round" = 2 ]; then
        curl -s -o /dev/null "$B/v1/drill/actions" -H 'Authorization: Bearer t-replay' \
            -d '{"do":"ack","arg":"*"}'
    fi
    sleep 0.2
done
serve_stop
echo "answers: $codes"
served=$(grep -c '"type":"served"' "$work/drill.jsonl" || true)
fails=0
[ "$served" -ge 12 ] && echo "ok: $served served requests in the log" ||
    { echo "FAIL: $served served requests in the log (want >= 12)" >&2; fails=1; }
grep -q 'caf\\u00e9\|café' "$work/drill.jsonl" && echo "ok: free text kept" ||
    { echo "FAIL: free text missing from the log" >&2; fails=1; }

grep -q '"type":"stopped"' <(tail -n 1 "$work/drill.jsonl") && echo "ok: the stop is logged" ||
    { echo "FAIL: the log does not end with the stop" >&2; fails=1; }

same_result() { # same_result WHAT A.json B.json
    if python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1])) != json.load(open(sys.argv[2])))' "$2" "$3"; then
        echo "ok: $1"
    else
        echo "FAIL: $1" >&2; diff "$2" "$3" >&2 || true; fails=1
    fi
}
if "$FD" replay "$work/drill.jsonl" --out "$work/replay.json" >"$work/replay.out" 2>&1; then
    grep -q 'byte-identical event log' "$work/replay.out" && echo "ok: replay is byte-identical" ||
        { echo "FAIL: replay: $(tail -n 1 "$work/replay.out")" >&2; fails=1; }
else
    echo "FAIL: replay exited non-zero" >&2; cat "$work/replay.out" >&2; fails=1
fi

[ -f "$work/live.json" ] && [ -f "$work/replay.json" ] &&
    same_result "serve --out equals replay --out" "$work/live.json" "$work/replay.json" ||
    { echo "FAIL: a result file is missing" >&2; fails=1; }

# The replay really serves the logged requests: alter one, and the log differs.
python3 - "$work/drill.jsonl" "$work/altered.jsonl" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
for i, l in enumerate(lines):
    j = json.loads(l)
    if j.get("type") == "served" and j.get("text", -1) < 0:
        j["free_text"] = "Is there a discount for nonprofits and how do I apply for it?"
        lines[i] = json.dumps(j, separators=(",", ":"), ensure_ascii=False)
        break
else:
    sys.exit("no free-text request to alter")
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY
if "$FD" replay "$work/altered.jsonl" >"$work/altered.out" 2>&1; then
    echo "FAIL: an altered log replayed as identical" >&2; fails=1
else
    echo "ok: an altered served request changes the replay"
fi
# A command that fails leaves no empty result file behind.
if "$FD" serve "$work/no-such-scenario.json" --port 0 --out "$work/failed.json" \
    >/dev/null 2>"$work/failed.err"; then
    echo "FAIL: serve with a missing scenario succeeded" >&2; fails=1
elif [ -e "$work/failed.json" ]; then
    echo "FAIL: a failed serve left $work/failed.json behind" >&2; fails=1
else
    echo "ok: a failed serve leaves no result file"
fi

# The GUI's result when it stops (here: a screenshot at 12m, offscreen).
if nm "$FD" 2>/dev/null | grep gui_app_new > /dev/null; then
    SDL_VIDEODRIVER=dummy "$FD" gui friendly-prompt --screenshot "$work/shot.png" --at 12m \
        --log "$work/gui.jsonl" --out "$work/gui.json" 2>"$work/gui.err" ||
        { echo "FAIL: gui: $(cat "$work/gui.err")" >&2; fails=1; }
    "$FD" replay "$work/gui.jsonl" --out "$work/gui-replay.json" >"$work/gui-replay.out" 2>&1 &&
        grep -q 'byte-identical' "$work/gui-replay.out" && echo "ok: gui log replays" ||
        { echo "FAIL: gui log: $(tail -n 1 "$work/gui-replay.out")" >&2; fails=1; }
    same_result "gui --out equals replay --out" "$work/gui.json" "$work/gui-replay.json"
else
    echo "note: no GUI in this build; the gui part is skipped"
fi
[ "$fails" = 0 ] || exit 1
echo "live_replay: PASS"
