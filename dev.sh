#!/usr/bin/env bash
# dev.sh - the two quick-start commands of the README.
#   ./dev.sh run [ARGS...]  install what is missing, build into build/, run the default drill
#                           (the GUI where a display exists, a headless summary otherwise)
#   ./dev.sh test           install what is missing, build, run every test; then the same
#                           suite built with AddressSanitizer + UBSan into build-asan/, and
#                           a short run of the libFuzzer targets built with clang into build-fuzz/
#   ./dev.sh deps | build   just those steps
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(build-essential cmake pkg-config clang libuv1-dev libcjson-dev libhttp-parser-dev
          libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libcmocka-dev fonts-dejavu-core
          python3 python3-jsonschema python3-simpy sqlite3 libsqlite3-dev curl nodejs npm
          wrk nginx-light xvfb xauth valgrind libclang-rt-14-dev prometheus)
JOBS=$(nproc 2>/dev/null || echo 2)

deps() {
    local missing=()
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$p")
    done
    # node/npm may come from elsewhere than Debian (e.g. nodesource); accept any node >= 18.
    if command -v node >/dev/null && command -v npm >/dev/null; then
        missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
    fi
    local want=()
    for p in "${missing[@]}"; do [ -n "$p" ] && want+=("$p"); done
    [ ${#want[@]} -eq 0 ] && return 0
    echo "dev.sh: installing ${want[*]}" >&2
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${want[@]}"
}

build() { # build DIR [cmake args...]
    local dir=$1; shift
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
    cmake --build "$dir" -j "$JOBS"
}

case "${1:-run}" in
deps) deps ;;
build) deps; build build -DFIREDRILL_GUI=ON ;;
run)
    shift || true
    deps; build build -DFIREDRILL_GUI=ON
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
        exec build/firedrill gui "$@"
    else
        exec build/firedrill run "$@"
    fi ;;
test)
    deps
    build build -DFIREDRILL_GUI=ON
    (cd build && ctest --output-on-failure -j "$JOBS")
    build build-asan -DFIREDRILL_GUI=ON -DFIREDRILL_SANITIZE=ON -DFIREDRILL_BENCH=OFF
    (cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j "$JOBS")
    # libFuzzer targets (clang): the saved crash inputs, then 15 s of each target on seeds
    # built from the repository (tests/fuzz/README.md).
    CC=clang build build-fuzz -DFIREDRILL_FUZZ=ON -DFIREDRILL_GUI=OFF -DFIREDRILL_BENCH=OFF
    (cd build-fuzz && ctest --output-on-failure -R '^(test_fuzz_regressions|it_fuzz_smoke)$')
    ;;
*) echo "usage: ./dev.sh run [firedrill run args] | test | deps | build" >&2; exit 2 ;;
esac
