#!/usr/bin/env bash
# valgrind.sh FIREDRILL SRC BUILD - the command-line flows under valgrind
# memcheck: no invalid access, no leak; then the HTTP integration tests
# (http_curl.sh, http_node.sh, live_replay.sh) with the server under memcheck, which exits 99
# on any error or leak when SIGTERM stops it. Skipped (exit 0) without
# valgrind, and when the binary is built with AddressSanitizer (the two do
# not mix).
set -euo pipefail
FD=$1
export FIREDRILL_DATA_DIR=$2
if ! command -v valgrind > /dev/null; then
    echo "SKIPPED: valgrind is not installed"; exit 0
fi
if nm -C "$FD" 2>/dev/null | grep __asan_init > /dev/null; then  # no -q: pipefail
    echo "SKIPPED: $FD is built with AddressSanitizer"; exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
VG=(valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect
    --errors-for-leak-kinds=definite,indirect)
check() { # check NAME EXPECTED_EXIT CMD...
    local name=$1 want=$2; shift 2
    set +e
    "${VG[@]}" "$@" > "$tmp/$name.out" 2> "$tmp/$name.err"
    local rc=$?
    set -e
    if [ "$rc" = 99 ] || [ "$rc" != "$want" ]; then
        echo "FAIL: $name exited $rc (want $want)"; tail -30 "$tmp/$name.err"; exit 1
    fi
    echo "ok: $name clean under memcheck"
}
check run 0 "$FD" run friendly-prompt --log "$tmp/d.jsonl" --out "$tmp/r.json" \
    --postmortem "$tmp/pm.md" --eval-set "$tmp/set.json" -q
check validate-solve 0 "$FD" validate --solve "$2/scenarios/long-lunch.json"
check validate-bad 2 "$FD" validate "$2"/tests/data/bad/*.json
check replay 0 "$FD" replay "$tmp/d.jsonl"
check postmortem 0 "$FD" postmortem "$tmp/d.jsonl" --out "$tmp/pm2.md"
check eval 0 "$FD" eval "$tmp/set.json" --scenario friendly-prompt
check report 0 "$FD" report "$tmp/r.json" --md "$tmp/rep.md"
check help 0 "$FD" run --help
check new 0 "$FD" new vg-slow --fault provider_slowdown --out "$tmp/new"
check run-new 0 "$FD" run "$tmp/new/vg-slow.json" --log "$tmp/n.jsonl" -q
if nm "$FD" 2>/dev/null | grep gui_app_new > /dev/null; then  # built with the GUI
    SDL_VIDEODRIVER=dummy check debrief 0 "$FD" debrief "$tmp/d.jsonl" --out "$tmp/d.png" \
        --size 800x500
fi

# The HTTP integration tests with `serve` under memcheck: every route, bad
# input, streams, a rate limit, then SIGTERM; the tests check its exit status.
for t in http_curl http_node live_replay; do
    if FD_WRAP="${VG[*]}" bash "$2/tests/integration/$t.sh" "$FD" "$2" "$3" > "$tmp/$t.log" 2>&1; then
        grep -q '^SKIPPED' "$tmp/$t.log" && echo "skipped: $t ($(grep -m1 '^SKIPPED' "$tmp/$t.log"))" ||
            echo "ok: $t.sh with the server clean under memcheck"
    else
        echo "FAIL: $t.sh with the server under memcheck"; tail -60 "$tmp/$t.log"; exit 1
    fi
done
