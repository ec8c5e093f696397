#!/usr/bin/env bash
# bench_http.sh - chat-completion throughput of `firedrill serve` against peers, on loopback.
#
#   tests/bench/bench_http.sh [FIREDRILL_BINARY]      (default: build/firedrill)
#
# Starts each peer in turn on a free 127.0.0.1 port, checks it answers a chat
# completion, warms it up, measures it with wrk (a 490-byte chat POST from
# tests/bench/http/chat.lua) and stops it, so that peers never compete:
#   nginx         Debian's nginx-light, `return 200` with a fixed chat.completion (1 worker)
#   node          a minimal node:http mock of the same endpoint (tests/bench/http/node_mock.mjs)
#   mockllm_npm   the npm package @dwmkerr/mock-llm (installed into $BENCH_DIR)
#   firedrill     `firedrill serve --no-delay --no-retrieval`: the whole simulated service,
#                 retrieval from the per-snapshot memo (no BM25 search per request)
#   firedrill_rag the same with retrieval on: a BM25 search per request
#   *_stream      firedrill and node answering "stream": true as SSE
# firedrill runs the quiet 24-hour scenario tests/bench/http/bench-scenario.json at
# --speed 2000, so that the benchmark load stays below the simulated provider's
# rate limit (6000 requests per simulated minute) and every answer is a 200.
#
# Environment: BENCH_DURATION (10s), BENCH_THREADS (2), BENCH_CONNECTIONS (64),
# BENCH_ROUNDS (3: peers are measured in interleaved rounds and each keeps its
# best round, the usual estimate of capacity on a machine shared with other
# work), BENCH_DIR (npm cache for mock-llm; default ~/.cache/firedrill-bench),
# BENCH_BASELINE (another firedrill binary, e.g. a build of the previous commit:
# measured as one more peer in the same rounds, so that a change is compared
# under the same load).
# The last line printed is the figures as key=value pairs. Server CPU per
# request is also split into user and system time (from /proc ticks, so the
# split is approximate; the sum is not).
#
#   BENCH_CALLGRIND=N tests/bench/bench_http.sh [FIREDRILL_BINARY]
#
# measures instead the instructions firedrill executes per request under
# valgrind's callgrind, which repeat from run to run where timings do not: N
# chat completions (the chat.lua body) on 8 keep-alive connections after 1000
# of warm-up, printed as callgrind_instr_per_request (the whole process) and
# callgrind_request_path_per_request (without the simulation's clock-driven
# work - the pacing timer and the drill's advance to the wall clock - which
# grows with wall time, and valgrind makes the wall time ~50x longer).
# BENCH_BASELINE is measured too when set.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
FD=${1:-$ROOT/build/firedrill}
DUR=${BENCH_DURATION:-10s}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNECTIONS:-64}
ROUNDS=${BENCH_ROUNDS:-3}
BENCH_DIR=${BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/firedrill-bench}
HTTP_DIR=$ROOT/tests/bench/http
LUA=$HTTP_DIR/chat.lua
KEY=bench-key
MOCKLLM_VERSION=0.1.29

BASE=${BENCH_BASELINE:-}
CALLGRIND=${BENCH_CALLGRIND:-}

tools=(curl python3)
if [ -n "$CALLGRIND" ]; then
    tools+=(valgrind callgrind_control callgrind_annotate)
else
    tools+=(wrk nginx node npm)
fi
for tool in "${tools[@]}"; do
    command -v "$tool" >/dev/null || { echo "bench_http: $tool is not installed" >&2; exit 2; }
done
[ -x "$FD" ] || { echo "bench_http: no firedrill binary at $FD (build first)" >&2; exit 2; }
[ -z "$BASE" ] || [ -x "$BASE" ] || { echo "bench_http: no baseline binary at $BASE" >&2; exit 2; }

work=$(mktemp -d)
pid=""
stop_peer() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    pid=""
}
cleanup() {
    stop_peer
    rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Waits until the peer answers a chat completion with a 200 chat.completion.
wait_ready() { # URL
    for _ in $(seq 1 200); do
        if curl -s -m 2 -o "$work/probe" -w '%{http_code}' "$1/v1/chat/completions" \
            -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
            -d '{"model":"nw-large","messages":[{"role":"user","content":"How do I reset my password?"}]}' \
            2>/dev/null | grep -q 200 && grep -q '"chat.completion"' "$work/probe"; then
            return 0
        fi
        [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null && break
        sleep 0.1
    done
    echo "bench_http: peer at $1 did not answer" >&2
    return 1
}

start_nginx() {
    local port=$1 prefix=$work/nginx user=""
    mkdir -p "$prefix"
    [ "$(id -u)" -eq 0 ] && user="user root;"
    sed -e "s|@PREFIX@|$prefix|g" -e "s|@PORT@|$port|g" -e "s|@USER@|$user|g" \
        "$HTTP_DIR/nginx.conf.in" >"$prefix/nginx.conf"
    nginx -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/error.log" >"$work/nginx.log" 2>&1 &
    pid=$!
}

start_node() {
    node "$HTTP_DIR/node_mock.mjs" "$1" >"$work/node.log" 2>&1 &
    pid=$!
}

start_mockllm() {
    local main=$BENCH_DIR/node_modules/@dwmkerr/mock-llm/dist/main.js
    if [ ! -f "$main" ]; then
        echo "bench_http: installing @dwmkerr/mock-llm@$MOCKLLM_VERSION into $BENCH_DIR" >&2
        mkdir -p "$BENCH_DIR"
        npm install --no-audit --no-fund --prefix "$BENCH_DIR" \
            "@dwmkerr/mock-llm@$MOCKLLM_VERSION" >"$work/npm.log" 2>&1 ||
            { cat "$work/npm.log" >&2; return 1; }
    fi
    # What `npx @dwmkerr/mock-llm` runs, from an empty folder (no mock-llm.yaml: defaults).
    mkdir -p "$work/mockllm"
    (cd "$work/mockllm" && HOST=127.0.0.1 PORT=$1 exec node "$main") >"$work/mockllm.log" 2>&1 &
    pid=$!
}

start_firedrill() { # BINARY PORT [extra options]
    local bin=$1 port=$2
    shift 2
    "$bin" serve "$HTTP_DIR/bench-scenario.json" --port "$port" --speed 2000 --no-delay --quiet \
        --api-key "$KEY" --trainee-token bench-trainee --trainer-token bench-trainer \
        --max-connections 4096 "$@" >"$work/firedrill.log" 2>&1 &
    pid=$!
}

# CPU time (user and system clock ticks) of the peer's processes: the one
# started and its children (nginx's worker).
cpu_ticks() {
    local u=0 s=0 p pu ps
    for p in "$pid" $(pgrep -P "$pid" 2>/dev/null || true); do
        [ -r "/proc/$p/stat" ] || continue
        read -r pu ps < <(awk '{print $14, $15}' "/proc/$p/stat")
        u=$((u + pu))
        s=$((s + ps))
    done
    echo "$u $s"
}

# Runs wrk against the running peer; prints "rps p50_ms p99_ms cpu_us_per_request
# user_us_per_request sys_us_per_request".
measure() { # NAME URL STREAM
    local name=$1 url=$2 stream=$3
    BENCH_KEY=$KEY BENCH_STREAM=$stream wrk -t"$THREADS" -c"$CONNS" -d2s -s "$LUA" "$url" >/dev/null
    local u0 s0 u1 s1
    read -r u0 s0 < <(cpu_ticks)
    BENCH_KEY=$KEY BENCH_STREAM=$stream wrk -t"$THREADS" -c"$CONNS" -d"$DUR" -s "$LUA" "$url" \
        >"$work/$name.wrk"
    read -r u1 s1 < <(cpu_ticks)
    local line
    line=$(grep '^BENCH ' "$work/$name.wrk" || true)
    [ -n "$line" ] || { cat "$work/$name.wrk" >&2; echo "bench_http: wrk failed for $name" >&2; return 1; }
    local non2xx errs
    non2xx=$(sed -n 's/.*non2xx=\([0-9]*\).*/\1/p' <<<"$line")
    errs=$(sed -n 's/.*socket_errors=\([0-9]*\).*/\1/p' <<<"$line")
    if [ "$non2xx" != 0 ] || [ "$errs" != 0 ]; then
        echo "bench_http: warning: $name had $non2xx non-2xx answers and $errs socket errors" >&2
    fi
    local requests
    requests=$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<<"$line")
    echo "$(sed -n 's/.*rps=\([0-9.]*\) p50_ms=\([0-9.]*\) p99_ms=\([0-9.]*\).*/\1 \2 \3/p' \
        <<<"$line") $(python3 -c "
k = 1e6 / $(getconf CLK_TCK) / max(1, $requests)
u, s = ($u1 - $u0) * k, ($s1 - $s0) * k
print(u + s, u, s)")"
}

run_peer() { # NAME
    local name=$1 port
    port=$(free_port)
    case $name in
    nginx) start_nginx "$port" ;;
    node | node_stream) start_node "$port" ;;
    mockllm_npm) start_mockllm "$port" ;;
    firedrill | firedrill_stream) start_firedrill "$FD" "$port" --no-retrieval ;;
    firedrill_rag) start_firedrill "$FD" "$port" ;;
    firedrill_baseline) start_firedrill "$BASE" "$port" --no-retrieval ;;
    esac
    wait_ready "http://127.0.0.1:$port"
    local stream=0
    [[ $name == *_stream ]] && stream=1
    measure "$name" "http://127.0.0.1:$port" "$stream" >>"$work/results.$name"
    stop_peer
}

# Instructions per chat completion of a firedrill binary under callgrind;
# writes "whole_process request_path" to $work/callgrind.NAME.result.
callgrind_measure() { # BINARY NAME
    local bin=$1 name=$2 port vpid
    port=$(free_port)
    valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.$name.%p" "$bin" serve \
        "$HTTP_DIR/bench-scenario.json" --port "$port" --speed 2000 --no-delay --no-retrieval \
        --quiet --api-key "$KEY" --trainee-token bench-trainee --trainer-token bench-trainer \
        >"$work/$name.valgrind.log" 2>&1 &
    pid=$!
    vpid=$pid
    wait_ready "http://127.0.0.1:$port" >&2
    python3 "$work/client.py" "$port" 1000 8
    callgrind_control -z "$vpid" >/dev/null 2>&1
    python3 "$work/client.py" "$port" "$CALLGRIND" 8
    callgrind_control -d "$vpid" >/dev/null 2>&1
    stop_peer
    python3 - "$work/callgrind.$name.$vpid.1" "$CALLGRIND" >"$work/callgrind.$name.result" <<'PY'
import re, subprocess, sys
f, n = sys.argv[1], int(sys.argv[2])
out = subprocess.run(["callgrind_annotate", "--tree=calling", "--inclusive=yes", "--auto=no",
                      "--threshold=100", f], capture_output=True, text=True, check=True).stdout
num = lambda s: int(s.replace(",", ""))
total = num(re.search(r"([\d,]+) \(100.0%\)\s+PROGRAM TOTALS", out).group(1))
def incl(fn):  # a function's inclusive cost
    m = re.search(r"([\d,]+) \([\d.]+%\)\s+\*\s+\S*:" + fn + r" \[", out)
    return num(m.group(1)) if m else 0
def under(caller, fn):  # fn's inclusive cost in its calls from caller
    for block in out.split("\n\n"):
        if re.search(r"\*\s+\S*:" + caller + r" \[", block):
            m = re.search(r"([\d,]+) \([\d.]+%\)\s+>\s+\S*:" + fn + r" \(", block)
            return num(m.group(1)) if m else 0
    return 0
clock = incl("on_pace") + under("on_chat", "advance")
print(round(total / n), round((total - clock) / n))
PY
}

if [ -n "$CALLGRIND" ]; then
    # A client that sends exactly N requests (wrk runs for a time, not a count).
    cat >"$work/client.py" <<'PY'
# client.py PORT N CONNS: N chat completions (the body of chat.lua, not streamed) on CONNS
# keep-alive connections; exits non-zero when an answer is not a 200.
import os, re, socket, sys, threading
port, n, k = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
lua = open(os.path.join(os.path.dirname(sys.argv[0]), "chat.lua")).read()
body = "".join(re.findall(r"'([^']*)'", lua.split("wrk.body =", 1)[1].split("function", 1)[0]))
body = body.replace('"stream":true,', "").encode()
req = (b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
       b"Authorization: Bearer bench-key\r\nContent-Length: %d\r\n\r\n" % len(body)) + body
failed = []
def run(m):
    s = socket.create_connection(("127.0.0.1", port))
    buf = b""
    for _ in range(m):
        s.sendall(req)
        while True:
            head, sep, rest = buf.partition(b"\r\n\r\n")
            if sep:
                cl = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
                if len(rest) >= cl:
                    if not head.startswith(b"HTTP/1.1 200"):
                        failed.append(head)
                    buf = rest[cl:]
                    break
            d = s.recv(65536)
            if not d:
                failed.append(b"closed")
                return
            buf += d
    s.close()
threads = [threading.Thread(target=run, args=(n // k + (i < n % k),)) for i in range(k)]
[t.start() for t in threads]
[t.join() for t in threads]
if failed:
    sys.exit(f"bench_http: {len(failed)} answers were not 200")
PY
    cp "$LUA" "$work/chat.lua"
    echo "bench_http: callgrind, $CALLGRIND requests, firedrill $FD" >&2
    callgrind_measure "$FD" firedrill
    read -r total path <"$work/callgrind.firedrill.result"
    line="callgrind_instr_per_request=$total callgrind_request_path_per_request=$path"
    if [ -n "$BASE" ]; then
        callgrind_measure "$BASE" baseline
        read -r btotal bpath <"$work/callgrind.baseline.result"
        line+=" baseline_instr_per_request=$btotal baseline_request_path_per_request=$bpath"
    fi
    echo "$line"
    exit 0
fi

PEERS=(nginx node mockllm_npm firedrill firedrill_rag firedrill_stream node_stream)
[ -n "$BASE" ] && PEERS+=(firedrill_baseline)
echo "bench_http: wrk -t$THREADS -c$CONNS -d$DUR, $ROUNDS round(s), $(nproc) CPUs, firedrill $FD" >&2
for r in $(seq 1 "$ROUNDS"); do
    for p in "${PEERS[@]}"; do
        echo "bench_http: round $r: $p" >&2
        run_peer "$p"
    done
done

python3 - "$work" "${PEERS[@]}" <<'EOF'
import statistics, sys
work, peers = sys.argv[1], sys.argv[2:]
res, cpu, split = {}, {}, {}
for p in peers:
    rows = [tuple(map(float, l.split())) for l in open(f"{work}/results.{p}") if l.strip()]
    res[p] = max(rows, key=lambda r: r[0])  # the best round by throughput
    least = min(rows, key=lambda r: r[3])   # the least server CPU per request
    cpu[p], split[p] = least[3], least[4:6]
ng, node, mk = res["nginx"][0], res["node"][0], res["mockllm_npm"][0]
fd, rag = res["firedrill"], res["firedrill_rag"]
titles = {
    "nginx": "nginx-light, return 200 (1 worker)",
    "node": "node:http mock",
    "mockllm_npm": "@dwmkerr/mock-llm (npm)",
    "firedrill": "firedrill serve, retrieval memo",
    "firedrill_rag": "firedrill serve, BM25 per request",
    "firedrill_stream": "firedrill serve, SSE stream",
    "node_stream": "node:http mock, SSE stream",
    "firedrill_baseline": "firedrill serve, BENCH_BASELINE",
}
print(f"{'peer':<36} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'x nginx':>8} {'cpu us/req':>11}"
      f" {'user':>6} {'sys':>6}")
for p in peers:
    rps, p50, p99 = res[p][:3]
    print(f"{titles[p]:<36} {rps:>10.0f} {p50:>8.3f} {p99:>8.3f} {rps / ng:>8.3f} {cpu[p]:>11.2f}"
          f" {split[p][0]:>6.2f} {split[p][1]:>6.2f}")
# cpu_ratio_*: server CPU per request of the peer over firedrill's, i.e. the
# throughput ratio if each server, not wrk or other load on the machine, were
# the bottleneck on one core.
figures = {
    "ratio_vs_nginx": fd[0] / ng,
    "ratio_vs_node": fd[0] / node,
    "ratio_vs_mockllm_npm": fd[0] / mk,
    "p50_ms": fd[1],
    "retrieval_on_ratio": rag[0] / fd[0],
    "stream_ratio_vs_node": res["firedrill_stream"][0] / res["node_stream"][0],
    # What a server exactly as fast as nginx's fixed `return 200` would score
    # against node in this run: the ceiling the peers' own speeds set.
    "nginx_ratio_vs_node": ng / node,
    "nginx_ratio_vs_mockllm_npm": ng / mk,
    "cpu_ratio_vs_nginx": cpu["nginx"] / cpu["firedrill"],
    "cpu_ratio_vs_node": cpu["node"] / cpu["firedrill"],
    "cpu_ratio_vs_mockllm_npm": cpu["mockllm_npm"] / cpu["firedrill"],
    "firedrill_rps": fd[0],
    "nginx_rps": ng,
    "node_rps": node,
    "mockllm_npm_rps": mk,
    "firedrill_rag_rps": rag[0],
    "firedrill_stream_rps": res["firedrill_stream"][0],
    "node_stream_rps": res["node_stream"][0],
    "firedrill_cpu_us": cpu["firedrill"],
    "firedrill_user_us": split["firedrill"][0],
    "firedrill_sys_us": split["firedrill"][1],
    "nginx_cpu_us": cpu["nginx"],
}
if "firedrill_baseline" in res:
    figures["baseline_rps"] = res["firedrill_baseline"][0]
    figures["speedup_vs_baseline"] = fd[0] / res["firedrill_baseline"][0]
    figures["cpu_ratio_vs_baseline"] = cpu["firedrill_baseline"] / cpu["firedrill"]
goals = {"ratio_vs_nginx": 0.75, "ratio_vs_node": 3, "ratio_vs_mockllm_npm": 30}
missed = [k for k, v in goals.items() if figures[k] < v]
if figures["p50_ms"] >= 1:
    missed.append("p50_ms")
print()
print("goals (retrieval memo, no delay): >= 0.75x nginx, >= 3x node, >= 30x mock-llm, p50 < 1 ms:",
      "all met" if not missed else "missed " + ",".join(missed))
print(" ".join(f"{k}={v:.3f}" if isinstance(v, float) and v < 1000 else f"{k}={v:.0f}"
               for k, v in figures.items()) + f" goals={'met' if not missed else 'missed'}")
EOF
