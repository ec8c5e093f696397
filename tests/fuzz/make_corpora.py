#!/usr/bin/env python3
"""make_corpora.py SRC OUT - seed corpora and dictionaries for the fuzz targets.

Builds OUT/<target>/ (one seed per file) and OUT/<target>.dict from the
repository's own files, so the seeds follow the formats as they change: the
scenarios and responders (and each fault object of a scenario on its own), the
good and bad inputs of tests/data, the assets (each behind the selector byte
fuzz_world reads), the hand-written seeds in tests/fuzz/seeds/ (eval sets,
post-mortems, an event log, HTTP requests), and every saved crash input of
tests/data/fuzz-regressions/ (named <target>-<n>.<ext>). Dictionary entries
are the field names and enum values of the JSON Schemas, the names of the C
X-macro tables (fault kinds, actions, symptoms), the world's names (topics,
prompts, models, fingerprints) and JSON syntax. Existing seed folders are
emptied first.
"""
import json
import os
import re
import shutil
import sys
from pathlib import Path

TARGETS = ["scenario", "responder", "fault", "world", "eval_set", "postmortem", "timeline",
           "json", "http"]
WORLD_FILES = ["kb.json", "catalogue.json", "prompts.json", "models.json"]


def put(out, target, name, data):
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


def schema_words(schema, words):
    """Property names, enum and const values of a JSON Schema, recursively."""
    if isinstance(schema, dict):
        for k, v in schema.items():
            if k == "properties" and isinstance(v, dict):
                words.update(v.keys())
            if k in ("enum", "examples") and isinstance(v, list):
                words.update(x for x in v if isinstance(x, str))
            if k == "const" and isinstance(v, str):
                words.add(v)
            schema_words(v, words)
    elif isinstance(schema, list):
        for v in schema:
            schema_words(v, words)


def macro_names(header):
    """The string ids of X(NAME, "id", ...) table rows in a C header."""
    text = header.read_text(encoding="utf-8")
    return set(re.findall(r'X\(\s*[A-Z0-9_]+\s*,\s*"([a-z0-9_]+)"', text))


def c_array_names(source, array):
    """The strings of `const char *const ARRAY[] = {"a", "b", NULL};`."""
    text = source.read_text(encoding="utf-8")
    m = re.search(re.escape(array) + r"\[\]\s*=\s*\{(.*?)\};", text, re.S)
    return set(re.findall(r'"([^"]*)"', m.group(1))) if m else set()


def world_words(assets):
    words = set()
    kb = json.loads((assets / "kb.json").read_text(encoding="utf-8"))
    words.update(t["id"] for t in kb["topics"])
    words.update(d["id"] for d in kb["documents"])
    for d in kb["documents"]:
        for v in d["versions"]:
            words.update(v["facts"].keys())
    prompts = json.loads((assets / "prompts.json").read_text(encoding="utf-8"))
    words.update(p["version"] for p in prompts["prompts"])
    models = json.loads((assets / "models.json").read_text(encoding="utf-8"))
    for m in models["models"]:
        words.add(m["id"])
        words.update(v["fingerprint"] for v in m["versions"])
    return words


def keys_of(value, words):
    if isinstance(value, dict):
        words.update(value.keys())
        for v in value.values():
            keys_of(v, words)
    elif isinstance(value, list):
        for v in value:
            keys_of(v, words)


JSON_SYNTAX = ['{', '}', '[', ']', ':', ',', '"', 'true', 'false', 'null', '-0', '1e308',
               '0.5', '\\u0000', '\\ud800', '\\"', '\\\\', '{"', '":', '",', '[]', '{}',
               '"x-', '"$schema"']
DURATIONS = ["0s", "30s", "90s", "1m", "10m", "1h", "1h30m", "250ms", "2d", "365d", "1.5s",
             "us"]


def write_dict(path, words):
    with open(path, "w", encoding="utf-8") as f:
        for w in sorted(words):
            if not w or len(w.encode("utf-8")) > 64:
                continue
            esc = ""
            for b in w.encode("utf-8"):
                c = chr(b)
                esc += c if 32 <= b < 127 and c not in '"\\' else "\\x%02X" % b
            f.write('"%s"\n' % esc)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: make_corpora.py SRC OUT")
    src, out = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
    for t in TARGETS:
        shutil.rmtree(out / t, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    here = src / "tests" / "fuzz"
    bad = src / "tests" / "data" / "bad"
    good = src / "tests" / "data" / "good"

    # Scenarios and responder policies.
    for f in sorted((src / "scenarios").glob("*.json")):
        put(out, "scenario", f.name, f.read_bytes())
    for f in sorted((src / "scenarios" / "responders").glob("*.json")):
        put(out, "responder", f.name, f.read_bytes())
    for f in sorted(good.glob("*.json")):
        put(out, "responder" if f.name.startswith("responder") else "scenario",
            "good-" + f.name, f.read_bytes())
    for f in sorted(bad.glob("*.json")):
        put(out, "responder" if f.name.startswith("responder") else "scenario",
            "bad-" + f.name, f.read_bytes())
    # Live faults: every fault object of the scenarios, alone.
    for f in sorted((src / "scenarios").glob("*.json")) + sorted(good.glob("*.json")):
        try:
            doc = json.loads(f.read_text(encoding="utf-8"))
        except ValueError:
            continue
        for i, fault in enumerate(doc.get("faults", []) if isinstance(doc, dict) else []):
            put(out, "fault", "%s-%d.json" % (f.stem, i),
                json.dumps(fault, indent=1, ensure_ascii=False).encode("utf-8"))
    bench = src / "tests" / "bench" / "http" / "bench-scenario.json"
    if bench.exists():
        put(out, "scenario", "bench-scenario.json", bench.read_bytes())

    # Assets: a selector byte (the file's index) + the file, from both worlds.
    for world, tag in (("tests/data/world", "small"), ("assets", "assets")):
        for i, name in enumerate(WORLD_FILES):
            data = (src / world / name).read_bytes()
            put(out, "world", "%s-%s" % (tag, name), bytes([i]) + data)

    # Hand-written seeds.
    for t in ("eval_set", "postmortem", "timeline", "http", "json"):
        d = here / "seeds" / t
        for f in sorted(d.glob("*")) if d.is_dir() else []:
            put(out, t, f.name, f.read_bytes())

    # The JSON layer: every small JSON file above, and some with a path first.
    paths = ["faults[0].target.fraction", "expected.diagnosis[0].cause", "steps[3].do",
             "baseline.traffic.segments.region.eu", "$", "[0]", "a..b", "x[", "documents[1]"]
    n = 0
    for t in ("scenario", "responder", "eval_set", "postmortem"):
        for f in sorted((out / t).glob("*")):
            data = f.read_bytes()
            if len(data) > 16384:
                continue
            put(out, "json", "%s-%s" % (t, f.name), data)
            if n < 60:
                put(out, "json", "path-%02d-%s" % (n, f.name),
                    paths[n % len(paths)].encode() + b"\0" + data)
                n += 1

    # Saved crash inputs go back into the corpus they came from.
    reg = src / "tests" / "data" / "fuzz-regressions"
    for f in sorted(reg.glob("*")) if reg.is_dir() else []:
        target = f.name.rsplit("-", 1)[0]
        if target in TARGETS:
            put(out, target, "regression-" + f.name, f.read_bytes())

    # Dictionaries.
    scen, resp = set(), set()
    schema_words(json.loads((src / "scenarios/schema/scenario.schema.json").read_text()), scen)
    schema_words(json.loads((src / "scenarios/schema/responder.schema.json").read_text()), resp)
    names = (macro_names(src / "sim" / "sim_scenario.h") |
             macro_names(src / "mockllm" / "mllm_service.h"))
    world = world_words(src / "assets")
    segments = set()
    for arr in ("mllm_region_names", "mllm_plan_names", "mllm_client_names",
                "mllm_fallback_names"):
        segments |= c_array_names(src / "mockllm" / "mllm_service.c", arr)
    qtypes = c_array_names(src / "mockllm" / "mllm_world.c", "mllm_qtype_names")
    roles = c_array_names(src / "mockllm" / "mllm_world.c", "mllm_role_names")
    asserts = c_array_names(src / "sim" / "sim_eval.c", "sim_assert_names")
    pm_keys = c_array_names(src / "sim" / "sim_scenario.c", "sim_pm_keys")
    syntax = set(JSON_SYNTAX) | set(DURATIONS)
    asset_keys = set()
    for name in WORLD_FILES:
        keys_of(json.loads((src / "assets" / name).read_text(encoding="utf-8")), asset_keys)
    eval_keys = {"cases", "id", "trace_id", "query", "query_id", "region", "plan", "client",
                 "history_tokens", "structured", "assertions", "provenance", "type", "fact",
                 "date", "ms", "drill", "seed", "incident", "at_s", "created_by", "scenario",
                 "answers", "eval_cases", "2026-11-25", "1970-01-01", "2200-12-31"}
    write_dict(out / "scenario.dict", scen | names | world | segments | qtypes | syntax)
    write_dict(out / "fault.dict", scen | names | world | qtypes | syntax)
    write_dict(out / "responder.dict", resp | names | world | asserts | pm_keys | syntax |
               {"alert:*", "on_alert", "failing", "any"})
    write_dict(out / "world.dict", asset_keys | qtypes | roles | world | syntax |
               {"2026-11-25", "\n\n"})
    evalw = eval_keys | asserts | pm_keys | segments | world | syntax
    write_dict(out / "eval_set.dict", evalw)
    write_dict(out / "postmortem.dict", evalw)
    write_dict(out / "timeline.dict", syntax | names | {
        "type", "start", "minute", "alert", "change", "fault", "inject", "action", "end", "t",
        "version", "scenario", "seed", "duration_us", "fault_harm", "state", "firing",
        "resolved", "value", "threshold", "visible", "kind", "text", "event", "requested",
        "effect", "done", "by", "do", "arg", "note", "id", "trainee", "responder"})
    write_dict(out / "json.dict", syntax | {"\0", ".", "[", "]", "\\/", "\u00e9"} |
               {"id", "faults", "kind", "duration", "title"})
    shutil.copy(here / "http.dict", out / "http.dict")
    for t in TARGETS:
        print("%-10s %4d seeds" % (t, len(list((out / t).glob("*")))))


if __name__ == "__main__":
    main()
