#!/usr/bin/env bash
# http_soak.sh - `firedrill serve` under 60 seconds of mixed load from wrk (128
# connections: completions, SSE streams, 4xx errors, malformed JSON, model
# lists, metrics) must not grow in memory, must answer every request, and must
# stop cleanly on SIGTERM (under AddressSanitizer that also proves no leak).
#   bash http_soak.sh FIREDRILL_BINARY SOURCE_DIR BUILD_DIR
# FIREDRILL_SOAK_SECONDS shortens or lengthens the load (default 60). Prints
# "SKIPPED: ..." and exits 0 when wrk is not installed.
set -euo pipefail
FD=${1:?usage: http_soak.sh FIREDRILL_BINARY SOURCE_DIR BUILD_DIR}
SRC=${2:?}
. "$SRC/tests/integration/lib/serve.sh"
SECS=${FIREDRILL_SOAK_SECONDS:-60}
command -v wrk >/dev/null || { echo "SKIPPED: wrk is not installed"; exit 0; }

work=$(mktemp -d)
trap 'serve_cleanup; rm -rf "$work"' EXIT

KEY=soak-key
# The quiet 24-hour bench scenario at 600x: an hour of drill time per 6 s, and
# the load stays under the simulated provider's rate limit.
serve_start "$FD" "$work" "$SRC/tests/bench/http/bench-scenario.json" --speed 600 --no-delay \
    --api-key "$KEY" --trainee-token soak-trainee --trainer-token soak-trainer
pid=$SERVE_PID
port=$SERVE_PORT

cat >"$work/mix.lua" <<'EOF'
-- A mix of good and bad requests, cycled per connection.
local key = "Bearer soak-key"
local q = '{"model":"nw-large","messages":[{"role":"user","content":"How do I reset my password?"}]}'
local free = '{"model":"nw-large","messages":[{"role":"system","content":"Be brief."},' ..
    '{"role":"user","content":"Which plans include single sign-on, and what does it cost?"}],' ..
    '"max_tokens":200}'
local stream = '{"model":"nw-large","stream":true,"stream_options":{"include_usage":true},' ..
    '"messages":[{"role":"user","content":"How do I reset my password?"}]}'
local h = {["Authorization"] = key, ["Content-Type"] = "application/json"}
local reqs = {
    wrk.format("POST", "/v1/chat/completions", h, q),
    wrk.format("POST", "/v1/chat/completions", h, free),
    wrk.format("POST", "/v1/chat/completions", h, stream),
    wrk.format("POST", "/v1/chat/completions", h, '{"model":"nw-large","messages":['),
    wrk.format("POST", "/v1/chat/completions", h, '{"model":"nope","messages":[{"role":"user","content":"x"}]}'),
    wrk.format("POST", "/v1/chat/completions", h, '{"model":"nw-large","messages":[]}'),
    wrk.format("POST", "/v1/chat/completions", {["Authorization"] = "Bearer wrong"}, q),
    wrk.format("GET", "/v1/models", h),
    wrk.format("GET", "/metrics"),
    wrk.format("GET", "/v1/drill/traces?limit=5", {["Authorization"] = "Bearer soak-trainee"}),
    wrk.format("GET", "/nowhere"),
}
local i = 0
function request()
    i = i + 1
    return reqs[(i % #reqs) + 1]
end
function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format("SOAK requests=%d socket_errors=%d\n", summary.requests,
                           e.connect + e.read + e.write + e.timeout))
end
EOF

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status"; }
warm=$((SECS / 4))
[ "$warm" -ge 1 ] || warm=1
wrk -t2 -c128 -d"${SECS}s" -s "$work/mix.lua" "http://127.0.0.1:$port" >"$work/wrk" 2>&1 &
wrk_pid=$!
sleep "$warm"
rss_warm=$(rss_kb)
samples="$rss_warm"
while kill -0 "$wrk_pid" 2>/dev/null; do
    sleep 5
    kill -0 "$pid" 2>/dev/null || break
    samples="$samples $(rss_kb)"
done
wait "$wrk_pid" || true
kill -0 "$pid" 2>/dev/null || { cat "$work/err" >&2; echo "FAIL: serve died under load" >&2; exit 1; }
rss_end=$(rss_kb)
cat "$work/wrk"
line=$(grep '^SOAK ' "$work/wrk" || true)
[ -n "$line" ] || { echo "FAIL: wrk did not finish" >&2; exit 1; }
requests=$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<<"$line")
errors=$(sed -n 's/.*socket_errors=\([0-9]*\).*/\1/p' <<<"$line")
echo "http_soak: $requests requests in ${SECS}s, RSS after warm-up ${rss_warm} kB, at the end ${rss_end} kB (samples: $samples)"
fails=0
[ "$requests" -gt 1000 ] || { echo "FAIL: only $requests requests" >&2; fails=1; }
[ "$errors" -eq 0 ] || { echo "FAIL: $errors socket errors (timeouts or resets)" >&2; fails=1; }
# Bounded memory: after warm-up the resident size may move by a few MB, not grow with load.
growth=$((rss_end - rss_warm))
if [ "$growth" -gt 8192 ]; then
    echo "FAIL: resident memory grew by $growth kB under load" >&2
    fails=1
fi
# Still answering, and every connection gone once the load stopped.
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")
[ "$code" = 200 ] || { echo "FAIL: /healthz answered $code after the load" >&2; fails=1; }
open=$(curl -s "http://127.0.0.1:$port/metrics" | sed -n 's/^firedrill_http_open_connections \([0-9]*\)$/\1/p')
[ "${open:-99}" -le 2 ] || { echo "FAIL: $open connections still open after the load" >&2; fails=1; }

serve_stop && rc=0 || rc=$?
if [ "$rc" -ne 0 ]; then
    echo "FAIL: serve exited $rc after SIGTERM (a sanitizer report?)" >&2
    tail -n 40 "$work/err" >&2
    exit 1
fi
[ "$fails" -eq 0 ] || exit 1
echo "http_soak: PASS"
