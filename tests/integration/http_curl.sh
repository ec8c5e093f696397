#!/usr/bin/env bash
# http_curl.sh - `firedrill serve` end to end with curl and raw sockets: the
# OpenAI routes (plain and SSE), OpenAI error objects for bad input, auth
# (401/403), limits (413, 431), keep-alive and pipelining, garbage that must
# not stop the server, a real delay from the simulated latency, the trainee
# and trainer APIs, an injected rate limit answering 429 with its headers,
# Prometheus text that passes promtool (or tests/integration/http_promcheck.py
# when promtool is not on PATH), no ground truth outside /admin, and a clean
# stop on SIGTERM.
#   bash http_curl.sh FIREDRILL_BINARY SOURCE_DIR BUILD_DIR
# FD_WRAP runs the server under a command (tests/integration/valgrind.sh runs
# this test with the server under valgrind memcheck).
set -euo pipefail
FD=${1:?usage: http_curl.sh FIREDRILL_BINARY SOURCE_DIR BUILD_DIR}
SRC=${2:?}
. "$SRC/tests/integration/lib/serve.sh"

work=$(mktemp -d)
trap 'serve_cleanup; rm -rf "$work"' EXIT

fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
expect() { # expect WHAT WANT GOT
    if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: want $2, got $3"; fi
}

KEY="sk-fd-curl-$$"
TRAINEE="fdtn-curl-$$"
TRAINER="fdtr-curl-$$"
serve_start "$FD" "$work" --speed 10 --max-body 65536 --api-key "$KEY" \
    --trainee-token "$TRAINEE" --trainer-token "$TRAINER"
port=$SERVE_PORT
B=$SERVE_URL
slow=1 # raw-socket reads wait longer for a server under valgrind
[ -n "${FD_WRAP:-}" ] && slow=6
ok "listening on port $port"

code() { curl -s -o "$work/body" -D "$work/head" -w '%{http_code}' "$@"; }
jget() { python3 -c "import json,sys; d=json.load(open('$work/body')); print(eval(sys.argv[1]))" "$1"; }
is_error_object() {
    python3 - "$work/body" <<'EOF'
import json, sys
e = json.load(open(sys.argv[1]))["error"]
assert set(e) == {"message", "type", "param", "code"}, e
assert isinstance(e["message"], str) and e["message"] and isinstance(e["type"], str)
EOF
}
CHAT='{"model":"nw-large","messages":[{"role":"user","content":"How do I reset my password?"}]}'
chat() { code "$B/v1/chat/completions" -H "Authorization: Bearer $KEY" \
    -H 'Content-Type: application/json' "$@"; }

# ---- open routes
expect "GET /healthz" 200 "$(code "$B/healthz")"
expect "HEAD /healthz" 200 "$(curl -s -o /dev/null -I -w '%{http_code}' "$B/healthz")"
expect "GET /metrics is open" 200 "$(code "$B/metrics")"
grep -q '^Content-Type: text/plain; version=0.0.4' "$work/head" && ok "metrics content type" ||
    bad "metrics content type"

# ---- the OpenAI API
expect "models with the key" 200 "$(code "$B/v1/models" -H "Authorization: Bearer $KEY")"
expect "models list shape" "list nw-large" "$(jget 'd["object"], d["data"][0]["id"]' | tr -d "(),'")"
expect "models without a key" 401 "$(code "$B/v1/models")"
is_error_object && ok "401 is an error object" || bad "401 is not an error object"
expect "models with a bad key" 401 "$(code "$B/v1/models" -H 'Authorization: Bearer nope')"
expect "chat completion" 200 "$(chat -d "$CHAT")"
expect "completion shape" "chat.completion assistant True" \
    "$(jget 'd["object"], d["choices"][0]["message"]["role"], d["usage"]["total_tokens"] == d["usage"]["prompt_tokens"] + d["usage"]["completion_tokens"]' | tr -d "(),'")"
grep -qi '^x-request-id: req_' "$work/head" && ok "x-request-id" || bad "x-request-id"
if grep -Eq '"label"|hallucination|fault_mask' "$work/body"; then bad "ground truth in /v1"; else ok "no ground truth in /v1"; fi
curl -s -N "$B/v1/chat/completions" -H "Authorization: Bearer $KEY" -D "$work/shead" \
    -d '{"model":"nw-large","stream":true,"messages":[{"role":"user","content":"How do I reset my password?"}]}' \
    >"$work/sse"
grep -qi '^content-type: text/event-stream' "$work/shead" && ok "SSE content type" || bad "SSE content type"
[ "$(tail -n 2 "$work/sse" | head -n 1)" = "data: [DONE]" ] && ok "SSE ends with [DONE]" ||
    bad "SSE does not end with [DONE]"
python3 - "$work/sse" <<'EOF' && ok "SSE events are chat.completion.chunk" || bad "SSE events"
import json, sys
events = [l[6:] for l in open(sys.argv[1]).read().split("\n\n") if l.startswith("data: ")]
assert events[-1] == "[DONE]" and len(events) > 3, events[-2:]
chunks = [json.loads(e) for e in events[:-1]]
assert all(c["object"] == "chat.completion.chunk" for c in chunks)
assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
assert chunks[-1]["choices"][0]["finish_reason"] in ("stop", "length")
assert len({c["id"] for c in chunks}) == 1
EOF

# ---- bad input: an OpenAI error object and the server keeps serving
expect "malformed JSON" 400 "$(chat -d '{"model":')"
is_error_object && ok "400 is an error object" || bad "400 is not an error object"
expect "missing messages" 400 "$(chat -d '{"model":"nw-large"}')"
expect "param of the error" messages "$(jget 'd["error"]["param"]')"
expect "bad field type" 400 "$(chat -d '{"model":"nw-large","stream":"yes","messages":[{"role":"user","content":"x"}]}')"
expect "unknown model" 404 "$(chat -d '{"model":"gpt-5","messages":[{"role":"user","content":"x"}]}')"
expect "unknown route" 404 "$(code "$B/v1/completions" -H "Authorization: Bearer $KEY")"
expect "wrong method" 405 "$(code -X DELETE "$B/v1/chat/completions" -H "Authorization: Bearer $KEY")"
head -c 100000 /dev/zero | tr '\0' 'a' >"$work/big"
expect "oversized body" 413 "$(chat --data-binary @"$work/big")"
is_error_object && ok "413 is an error object" || bad "413 is not an error object"
expect "oversized headers" 431 "$(code "$B/healthz" -H "X-Big: $(head -c 20000 /dev/zero | tr '\0' 'b')")"
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'THIS IS NOT HTTP\r\n\r\n' >&3
timeout $((5 * slow)) cat <&3 >"$work/raw" || true
exec 3<&- 3>&-
head -n 1 "$work/raw" | grep -q '^HTTP/1.1 400' && ok "garbage gets 400" || bad "garbage: $(head -n 1 "$work/raw")"
for i in $(seq 1 20); do
    exec 3<>"/dev/tcp/127.0.0.1/$port"
    head -c $((i * 37)) /dev/urandom >&3 || true
    exec 3<&- 3>&-
done
expect "still serving after garbage" 200 "$(code "$B/healthz")"

# ---- keep-alive and pipelining
curl -sv "$B/healthz" "$B/healthz" -o /dev/null -o /dev/null 2>"$work/kv" || true
grep -qiE 're-?using existing connection' "$work/kv" && ok "keep-alive reuses the connection" ||
    bad "keep-alive"
exec 3<>"/dev/tcp/127.0.0.1/$port"
body='{"model":"nw-large","messages":[{"role":"user","content":"How do I reset my password?"}]}'
printf 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nPOST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Length: %d\r\n\r\n%sGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' \
    "$KEY" "${#body}" "$body" >&3
timeout $((10 * slow)) cat <&3 >"$work/pipe" || true
exec 3<&- 3>&-
expect "three pipelined answers" 3 "$(grep -o 'HTTP/1.1 200 OK' "$work/pipe" | wc -l)"
python3 - "$work/pipe" <<'EOF' && ok "pipelined answers in order" || bad "pipelined order"
import sys
t = open(sys.argv[1], encoding="utf-8", errors="replace").read()
a, b, c = t.find('"status":"ok"'), t.find('"object":"chat.completion"'), t.rfind('"status":"ok"')
assert 0 <= a < b < c, (a, b, c)
EOF

# ---- the trainee API
tr() { code "$@" -H "Authorization: Bearer $TRAINEE"; }
expect "drill status" 200 "$(tr "$B/v1/drill/status")"
expect "status names the scenario" friendly-prompt "$(jget 'd["scenario"]["id"]')"
expect "alerts" 200 "$(tr "$B/v1/drill/alerts")"
expect "changes" 200 "$(tr "$B/v1/drill/changes")"
expect "traces" 200 "$(tr "$B/v1/drill/traces?limit=50")"
if grep -Eq '"label"|"decoy"' "$work/body"; then bad "ground truth in trainee traces"; else ok "no labels in traces"; fi
expect "failing traces" 200 "$(tr "$B/v1/drill/traces?failing=1&limit=5")"
expect "bad limit" 400 "$(tr "$B/v1/drill/traces?limit=0")"
expect "action" 202 "$(tr -d '{"do":"ack","arg":"*"}' "$B/v1/drill/actions")"
expect "bad action" 400 "$(tr -d '{"do":"explode"}' "$B/v1/drill/actions")"
expect "action history" 200 "$(tr "$B/v1/drill/actions")"
expect "trainee on /admin" 403 "$(tr "$B/admin/truth")"
is_error_object && ok "403 is an error object" || bad "403 is not an error object"
expect "API key on /v1/drill" 403 "$(code "$B/v1/drill/status" -H "Authorization: Bearer $KEY")"

# ---- the trainer API
ad() { code "$@" -H "Authorization: Bearer $TRAINER"; }
expect "truth" 200 "$(ad "$B/admin/truth")"
jget 'd["labels"]["correct"] >= 0 and "score" in d' | grep -q True && ok "truth has labels and score" ||
    bad "truth shape"
expect "faults" 200 "$(ad "$B/admin/faults")"
expect "decoy" 201 "$(ad -d '{"text":"CDN config touched (decoy)"}' "$B/admin/decoy")"
tr "$B/v1/drill/changes" >/dev/null
grep -q 'CDN config touched' "$work/body" && ok "decoy shows in the trainee change log" || bad "decoy"
grep -q '"decoy"' "$work/body" && bad "decoy flag leaked" || ok "decoy flag hidden from trainees"
expect "bad fault" 400 "$(ad -d '{"id":"x","kind":"meteor_strike"}' "$B/admin/faults")"
is_error_object && ok "bad fault is an error object" || bad "bad fault error object"
expect "pause" 200 "$(ad -d '{"action":"pause"}' "$B/admin/drill")"
t1=$(ad "$B/v1/drill/status" >/dev/null; jget 'd["drill"]["now_s"]')
sleep 0.3
t2=$(ad "$B/v1/drill/status" >/dev/null; jget 'd["drill"]["now_s"]')
expect "paused clock stands still" "$t1" "$t2"
expect "resume" 200 "$(ad -d '{"action":"resume"}' "$B/admin/drill")"

# ---- an injected latency is a real delay (speed 1: the simulated seconds are wall seconds)
expect "speed 1" 200 "$(ad -d '{"action":"speed","value":1}' "$B/admin/drill")"
secs=$(curl -s -o /dev/null -w '%{time_total}' "$B/v1/chat/completions" \
    -H "Authorization: Bearer $KEY" -d "$CHAT")
python3 -c "import sys; sys.exit(0 if float('$secs') > 0.3 else 1)" &&
    ok "answer delayed by the simulated latency (${secs}s)" || bad "no delay: ${secs}s"
expect "speed 10" 200 "$(ad -d '{"action":"speed","value":10}' "$B/admin/drill")"

# ---- a 429 with its headers under an injected rate limit
expect "inject rate_limit_errors" 201 \
    "$(ad -d '{"id":"it-429","kind":"rate_limit_errors","params":{"rpm":1}}' "$B/admin/faults")"
idx=$(jget 'd["index"]')
got=""
for _ in $(seq 1 30); do
    got=$(chat -d "$CHAT")
    [ "$got" = 429 ] && break
done
expect "429 under the limit" 429 "$got"
grep -qi '^retry-after: 1' "$work/head" && ok "Retry-After" || bad "Retry-After"
grep -qi '^x-ratelimit-limit-requests: ' "$work/head" && ok "x-ratelimit-limit-requests" ||
    bad "x-ratelimit-limit-requests"
grep -qi '^x-ratelimit-remaining-requests: 0' "$work/head" && ok "x-ratelimit-remaining-requests" ||
    bad "x-ratelimit-remaining-requests"
grep -qi '^x-ratelimit-reset-requests: ' "$work/head" && ok "x-ratelimit-reset-requests" ||
    bad "x-ratelimit-reset-requests"
expect "429 code" rate_limit_exceeded "$(jget 'd["error"]["code"]')"
expect "clear the fault" 200 "$(ad -X DELETE "$B/admin/faults/$idx")"
expect "clear a missing fault" 404 "$(ad -X DELETE "$B/admin/faults/99")"
expect "served after clearing" 200 "$(chat -d "$CHAT")"

# ---- Prometheus text
curl -s "$B/metrics" >"$work/metrics"
if command -v promtool >/dev/null; then
    promtool check metrics <"$work/metrics" && ok "promtool check metrics" || bad "promtool check metrics"
else
    echo "note: promtool not on PATH; checking with tests/integration/http_promcheck.py"
fi
python3 "$SRC/tests/integration/http_promcheck.py" <"$work/metrics" && ok "exposition format" ||
    bad "exposition format"
for m in firedrill_requests_total firedrill_errors_total firedrill_request_duration_seconds_bucket \
         firedrill_refusals_total firedrill_cost_usd_total firedrill_alert_firing \
         firedrill_index_age_seconds firedrill_judge_quality; do
    grep -q "^$m" "$work/metrics" && ok "metric $m" || bad "metric $m missing"
done
if grep -Eqi 'label=|hallucination|fault_harm|"correct"' "$work/metrics"; then
    bad "ground truth in /metrics"
else
    ok "no ground truth in /metrics"
fi

# ---- a clean stop
serve_stop && rc=0 || rc=$?
expect "exit status after SIGTERM" 0 "$rc"
[ "$rc" = 0 ] || tail -n 40 "$work/err" >&2

if [ "$fails" -gt 0 ]; then
    echo "http_curl: $fails check(s) failed" >&2
    exit 1
fi
echo "http_curl: PASS"
