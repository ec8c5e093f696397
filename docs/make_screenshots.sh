#!/usr/bin/env bash
# make_screenshots.sh - regenerates docs/img/*.png, the control panel screenshots
# the README and docs/gui.md show, with `firedrill gui ... --screenshot`.
#
#   docs/make_screenshots.sh [FIREDRILL_BINARY]     (default: build/firedrill)
#
# Each shot runs the default scenario fast to a drill time (with its reference
# responder, so the incident is being handled) and renders one panel offscreen:
# no display is needed. The drill is deterministic, so the images only change
# when the code or the scenario does.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/firedrill}
if [ ! -x "$bin" ]; then
    echo "make_screenshots.sh: no firedrill binary at $bin (build first: ./dev.sh build)" >&2
    exit 2
fi
out=docs/img
mkdir -p "$out"
scenario=scenarios/friendly-prompt.json
size=1600x900

shot() { # shot NAME AT PANEL [extra args...]
    local name=$1 at=$2 panel=$3
    shift 3
    "$bin" gui "$scenario" --screenshot "$out/$name.png" --at "$at" --panel "$panel" \
        --size "$size" "$@"
}

shot dashboard 15m dashboard
shot alerts 15m alerts
shot breakdowns 15m breakdowns
shot traces 15m traces
shot controls 14m controls          # the kill switch waits for approval
shot incident 20m incident
shot briefing 1m briefing
shot scorecard 40m scorecard        # resolved at 23m30s by the reference responder
shot postmortem 40m postmortem
shot trainer 20m trainer --trainer
shot help 15m help

# The debrief plot of the default drill, from its event log and result.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" run "$scenario" --log "$tmp/drill.jsonl" --out "$tmp/result.json" -q
"$bin" debrief "$tmp/drill.jsonl" --result "$tmp/result.json" --out "$out/debrief.png" --size 1600x1000
shot dashboard-1280x800 15m dashboard --size 1280x800
shot dashboard-1920x1080 15m dashboard --size 1920x1080
echo "make_screenshots.sh: wrote $(ls "$out"/*.png | wc -l) images to $out/" >&2
