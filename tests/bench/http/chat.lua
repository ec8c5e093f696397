-- chat.lua - wrk script for tests/bench/bench_http.sh: POSTs a 490-byte chat
-- completion request (system prompt, one earlier exchange, a question that is
-- not in the query catalogue) and prints one machine-readable summary line.
--   BENCH_KEY     API key sent as a Bearer token (default "bench-key")
--   BENCH_STREAM  "1": ask for a streamed answer ("stream": true)
local key = os.getenv("BENCH_KEY") or "bench-key"
local stream = os.getenv("BENCH_STREAM") == "1"

wrk.method = "POST"
wrk.path = "/v1/chat/completions"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. key
wrk.body = '{"model":"nw-large","messages":[{"role":"system","content":"You are the Skyloft '
    .. 'support assistant. Answer only from the help centre articles."},{"role":"user",'
    .. '"content":"Hello, I look after our team workspace."},{"role":"assistant","content":'
    .. '"Hi! How can I help you with your Skyloft workspace today?"},{"role":"user","content":'
    .. '"Can you tell me how I change the billing email address on our account, and who gets '
    .. 'the invoices?"}],"max_tokens":256,"temperature":0.2,'
    .. (stream and '"stream":true,' or '') .. '"user":"bench-user-0001"}'

function done(summary, latency, requests)
    local secs = summary.duration / 1e6
    local e = summary.errors
    io.write(string.format(
        "BENCH rps=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d non2xx=%d socket_errors=%d bytes=%d\n",
        summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        summary.requests, e.status, e.connect + e.read + e.write + e.timeout, summary.bytes))
end
