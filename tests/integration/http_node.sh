#!/usr/bin/env bash
# http_node.sh - `firedrill serve` driven by the official OpenAI Node.js SDK:
# models, a completion, streaming, SDK error classes (401, 403, 404, 400) and a
# RateLimitError with its headers under a rate limit injected via /admin.
#   bash http_node.sh FIREDRILL_BINARY SOURCE_DIR BUILD_DIR
# Installs the pinned `openai` package into tests/integration/node/node_modules
# when missing; prints "SKIPPED: ..." and exits 0 only when node/npm are
# missing or the npm registry cannot be reached.
set -euo pipefail
FD=${1:?usage: http_node.sh FIREDRILL_BINARY SOURCE_DIR BUILD_DIR}
SRC=${2:?}
NODE_DIR="$SRC/tests/integration/node"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "SKIPPED: node and npm are not installed"
    exit 0
fi
if [ ! -d "$NODE_DIR/node_modules/openai" ]; then
    echo "http_node: installing the openai SDK into $NODE_DIR/node_modules"
    log=$(mktemp)
    if ! (cd "$NODE_DIR" && npm ci --no-audit --no-fund >"$log" 2>&1 ||
          npm install --no-audit --no-fund >>"$log" 2>&1); then
        if grep -qiE "ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|network|ECONNRESET" "$log"; then
            echo "SKIPPED: the npm registry cannot be reached ($(grep -m1 -iE 'ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|network|ECONNRESET' "$log"))"
            rm -f "$log"
            exit 0
        fi
        cat "$log" >&2
        rm -f "$log"
        echo "FAIL: npm install failed" >&2
        exit 1
    fi
    rm -f "$log"
fi

work=$(mktemp -d)
pid=""
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

KEY="sk-fd-node-$$-key"
TRAINEE="fdtn-node-$$-trainee"
TRAINER="fdtr-node-$$-trainer"
"$FD" serve --port 0 --speed 30 --api-key "$KEY" --trainee-token "$TRAINEE" \
    --trainer-token "$TRAINER" >"$work/out" 2>"$work/err" &
pid=$!
port=""
for _ in $(seq 1 200); do
    port=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)$|\1|p' "$work/out")
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/err" >&2; echo "FAIL: serve exited" >&2; exit 1; }
    sleep 0.05
done
[ -n "$port" ] || { echo "FAIL: serve did not print its port" >&2; exit 1; }

FD_BASE="http://127.0.0.1:$port" FD_KEY="$KEY" FD_TRAINEE="$TRAINEE" FD_TRAINER="$TRAINER" \
    node "$NODE_DIR/sdk_test.mjs"

kill -TERM "$pid"
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$pid" 2>/dev/null; then
    echo "FAIL: serve did not stop on SIGTERM" >&2
    exit 1
fi
wait "$pid" && rc=0 || rc=$?
pid=""
[ "$rc" -eq 0 ] || { echo "FAIL: serve exited $rc after SIGTERM" >&2; cat "$work/err" >&2; exit 1; }
echo "http_node: PASS"
