# serve.sh - sourced by the HTTP integration tests: starts `firedrill serve` on
# a free port of 127.0.0.1 and stops it the way an operator would (SIGTERM).
#
#   serve_start FIREDRILL WORKDIR [SERVE ARGS...]
#       runs `FIREDRILL serve --port 0 ARGS` in the background (stdout and
#       stderr in WORKDIR/out and WORKDIR/err) and waits for its "listening on"
#       line: sets SERVE_PID, SERVE_PORT and SERVE_URL, or exits 1.
#   serve_stop      SIGTERM, then waits: returns the exit status (1 with a
#                   message when the server does not stop in time).
#   serve_cleanup   kills a server still running (for an EXIT trap).
#
# FD_WRAP, when set, is a command the server runs under (word-split), e.g.
# FD_WRAP="valgrind --error-exitcode=99": start-up and stop then get longer
# deadlines.
SERVE_PID=""
SERVE_PORT=""
SERVE_URL=""
SERVE_WAIT=10 # seconds to start and to stop
[ -n "${FD_WRAP:-}" ] && SERVE_WAIT=120

serve_start() {
    local fd=$1 dir=$2
    shift 2
    : >"$dir/out" # exists before the background job opens it: read at once below
    # shellcheck disable=SC2086
    ${FD_WRAP:-} "$fd" serve --port 0 "$@" >"$dir/out" 2>"$dir/err" &
    SERVE_PID=$!
    local i
    for ((i = 0; i < SERVE_WAIT * 20; i++)); do
        SERVE_PORT=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)$|\1|p' "$dir/out")
        [ -n "$SERVE_PORT" ] && break
        if ! kill -0 "$SERVE_PID" 2>/dev/null; then
            cat "$dir/err" >&2
            echo "FAIL: serve exited before listening" >&2
            exit 1
        fi
        sleep 0.05
    done
    [ -n "$SERVE_PORT" ] || { echo "FAIL: serve did not print its port in ${SERVE_WAIT}s" >&2; exit 1; }
    SERVE_URL="http://127.0.0.1:$SERVE_PORT"
}

serve_stop() {
    local i rc
    kill -TERM "$SERVE_PID"
    for ((i = 0; i < SERVE_WAIT * 20; i++)); do
        kill -0 "$SERVE_PID" 2>/dev/null || break
        sleep 0.05
    done
    if kill -0 "$SERVE_PID" 2>/dev/null; then
        echo "FAIL: serve did not stop within ${SERVE_WAIT}s of SIGTERM" >&2
        return 1
    fi
    wait "$SERVE_PID" && rc=0 || rc=$?
    SERVE_PID=""
    return "$rc"
}

serve_cleanup() {
    if [ -n "$SERVE_PID" ] && kill -0 "$SERVE_PID" 2>/dev/null; then
        kill "$SERVE_PID" 2>/dev/null || true
        wait "$SERVE_PID" 2>/dev/null || true
    fi
}
