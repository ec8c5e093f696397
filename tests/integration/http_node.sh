#!/usr/bin/env bash
# http_node.sh - `firedrill serve` driven by the official OpenAI Node.js SDK:
# models, a completion, streaming, SDK error classes (401, 403, 404, 400) and a
# RateLimitError with its headers under a rate limit injected via /admin.
#   bash http_node.sh FIREDRILL_BINARY SOURCE_DIR BUILD_DIR
# Installs the pinned `openai` package into tests/integration/node/node_modules
# when missing; prints "SKIPPED: ..." and exits 0 only when node/npm are
# missing or the npm registry cannot be reached.
# FD_WRAP runs the server under a command (see tests/integration/lib/serve.sh).
set -euo pipefail
FD=${1:?usage: http_node.sh FIREDRILL_BINARY SOURCE_DIR BUILD_DIR}
SRC=${2:?}
. "$SRC/tests/integration/lib/serve.sh"
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
trap 'serve_cleanup; rm -rf "$work"' EXIT

KEY="sk-fd-node-$$-key"
TRAINEE="fdtn-node-$$-trainee"
TRAINER="fdtr-node-$$-trainer"
serve_start "$FD" "$work" --speed 30 --api-key "$KEY" --trainee-token "$TRAINEE" \
    --trainer-token "$TRAINER"

FD_BASE="$SERVE_URL" FD_KEY="$KEY" FD_TRAINEE="$TRAINEE" FD_TRAINER="$TRAINER" \
    node "$NODE_DIR/sdk_test.mjs"

serve_stop && rc=0 || rc=$?
[ "$rc" -eq 0 ] || { echo "FAIL: serve exited $rc after SIGTERM" >&2; cat "$work/err" >&2; exit 1; }
echo "http_node: PASS"
