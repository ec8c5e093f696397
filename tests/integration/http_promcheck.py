#!/usr/bin/env python3
"""http_promcheck.py - checks Prometheus text exposition (format 0.0.4) from stdin.

A stdlib stand-in for `promtool check metrics`, used by http_curl.sh when
promtool is not on PATH. It parses every line the way the text format defines
it and applies promtool's lint rules:

  * comments: `# HELP name text` and `# TYPE name counter|gauge|histogram|summary|untyped`,
    at most one of each per family, TYPE before the family's samples;
  * samples: `name{label="value",...} value [timestamp]` with valid metric and
    label names, label values escaped only as \\\\, \\" and \\n, values that parse
    as floats (NaN, +Inf, -Inf included), no duplicate series;
  * a family's samples are contiguous; histogram families have _bucket series
    with an `le` label, cumulative and non-decreasing in le order, a +Inf bucket
    equal to _count, and _sum / _count; summaries have quantile, _sum, _count;
  * lint: every family has HELP; counter names end in _total; no other type
    ends in _total; names are snake_case;
  * the text ends with a newline.

Exit status 0 when clean, 1 with one line per problem on stderr.
"""
import math
import re
import sys

NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


def parse_float(s):
    if s in ("NaN", "+Inf", "-Inf", "Inf", "+inf", "-inf", "inf", "nan"):
        return float(s.replace("Inf", "inf").replace("NaN", "nan"))
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", s):
        raise ValueError(f"bad number {s!r}")
    return float(s)


def parse_labels(text, pos, errs, lineno):
    """Parses `{a="b",...}` from text[pos] == '{'; returns (labels, next pos)."""
    labels = {}
    i = pos + 1
    while True:
        while i < len(text) and text[i] == " ":
            i += 1
        if i < len(text) and text[i] == "}":
            return labels, i + 1
        m = LABEL.match(text, i)
        if not m:
            errs.append(f"line {lineno}: bad label name at column {i + 1}")
            return labels, None
        name = m.group(0)
        i = m.end()
        if text[i:i + 2] != '="':
            errs.append(f"line {lineno}: expected =\" after label {name}")
            return labels, None
        i += 2
        val = []
        while True:
            if i >= len(text):
                errs.append(f"line {lineno}: unterminated label value")
                return labels, None
            c = text[i]
            if c == "\\":
                nxt = text[i + 1:i + 2]
                if nxt not in ("\\", '"', "n"):
                    errs.append(f"line {lineno}: bad escape \\{nxt} in label {name}")
                    return labels, None
                val.append({"\\": "\\", '"': '"', "n": "\n"}[nxt])
                i += 2
            elif c == '"':
                i += 1
                break
            elif c == "\n":
                errs.append(f"line {lineno}: newline in label value")
                return labels, None
            else:
                val.append(c)
                i += 1
        if name in labels:
            errs.append(f"line {lineno}: label {name} repeated")
        labels[name] = "".join(val)
        if i < len(text) and text[i] == ",":
            i += 1
        elif i < len(text) and text[i] == "}":
            return labels, i + 1
        else:
            errs.append(f"line {lineno}: expected , or }} after label {name}")
            return labels, None


def family_of(sample, types):
    for suffix in ("_bucket", "_sum", "_count"):
        if sample.endswith(suffix):
            base = sample[: -len(suffix)]
            if types.get(base) in ("histogram", "summary"):
                return base
    return sample


def check(text):
    errs = []
    if text and not text.endswith("\n"):
        errs.append("the exposition does not end with a newline")
    helps, types = {}, {}
    seen_series = set()
    order = []            # families in the order their samples appear
    samples = {}          # family -> list of (name, labels, value)
    last_family = None
    for lineno, line in enumerate(text.split("\n"), 1):
        if line == "":
            continue
        if line.startswith("#"):
            parts = line.split(None, 3)
            if len(parts) >= 2 and parts[1] in ("HELP", "TYPE"):
                if len(parts) < 3 or not NAME.fullmatch(parts[2]):
                    errs.append(f"line {lineno}: bad metric name in {parts[1]}")
                    continue
                name = parts[2]
                if parts[1] == "HELP":
                    if name in helps:
                        errs.append(f"line {lineno}: second HELP for {name}")
                    helps[name] = parts[3] if len(parts) > 3 else ""
                else:
                    t = parts[3].strip() if len(parts) > 3 else ""
                    if t not in TYPES:
                        errs.append(f"line {lineno}: unknown type {t!r} for {name}")
                    if name in types:
                        errs.append(f"line {lineno}: second TYPE for {name}")
                    if name in samples:
                        errs.append(f"line {lineno}: TYPE for {name} after its samples")
                    types[name] = t
            continue
        m = NAME.match(line)
        if not m:
            errs.append(f"line {lineno}: bad metric name")
            continue
        name = m.group(0)
        i = m.end()
        labels = {}
        if i < len(line) and line[i] == "{":
            labels, i = parse_labels(line, i, errs, lineno)
            if i is None:
                continue
        rest = line[i:]
        if not rest.startswith(" "):
            errs.append(f"line {lineno}: expected a space before the value")
            continue
        fields = rest.split()
        if len(fields) not in (1, 2):
            errs.append(f"line {lineno}: expected `value [timestamp]`")
            continue
        try:
            value = parse_float(fields[0])
            if len(fields) == 2:
                int(fields[1])
        except ValueError as e:
            errs.append(f"line {lineno}: {e}")
            continue
        fam = family_of(name, types)
        if fam != last_family and fam in samples:
            errs.append(f"line {lineno}: samples of {fam} are not contiguous")
        last_family = fam
        if fam not in samples:
            samples[fam] = []
            order.append(fam)
        key = (name, tuple(sorted(labels.items())))
        if key in seen_series:
            errs.append(f"line {lineno}: duplicate series {name}{labels}")
        seen_series.add(key)
        samples[fam].append((name, labels, value))

    for fam in order:
        t = types.get(fam, "untyped")
        if fam not in helps:
            errs.append(f"{fam}: no HELP (lint)")
        if t == "counter" and not fam.endswith("_total"):
            errs.append(f"{fam}: counter metrics should have \"_total\" suffix (lint)")
        if t != "counter" and fam.endswith("_total"):
            errs.append(f"{fam}: non-counter metrics should not have \"_total\" suffix (lint)")
        if re.search(r"[a-z][A-Z]", fam):
            errs.append(f"{fam}: metric names should be snake_case (lint)")
        if t == "counter":
            for name, labels, value in samples[fam]:
                if name != fam:
                    errs.append(f"{fam}: counter sample named {name}")
                elif not math.isnan(value) and value < 0:
                    errs.append(f"{fam}: negative counter")
        if t == "histogram":
            groups = {}
            for name, labels, value in samples[fam]:
                rest = tuple(sorted((k, v) for k, v in labels.items() if k != "le"))
                g = groups.setdefault(rest, {"buckets": [], "sum": None, "count": None})
                if name == fam + "_bucket":
                    if "le" not in labels:
                        errs.append(f"{fam}: bucket without le")
                        continue
                    try:
                        g["buckets"].append((parse_float(labels["le"]), value))
                    except ValueError:
                        errs.append(f"{fam}: bad le {labels['le']!r}")
                elif name == fam + "_sum":
                    g["sum"] = value
                elif name == fam + "_count":
                    g["count"] = value
                else:
                    errs.append(f"{fam}: unexpected histogram sample {name}")
            for rest, g in groups.items():
                b = g["buckets"]
                if [le for le, _ in b] != sorted(le for le, _ in b):
                    errs.append(f"{fam}{dict(rest)}: buckets not in le order")
                if any(b[k][1] > b[k + 1][1] for k in range(len(b) - 1)):
                    errs.append(f"{fam}{dict(rest)}: buckets not cumulative")
                if not b or b[-1][0] != math.inf:
                    errs.append(f"{fam}{dict(rest)}: no +Inf bucket")
                elif g["count"] is None or b[-1][1] != g["count"]:
                    errs.append(f"{fam}{dict(rest)}: +Inf bucket differs from _count")
                if g["sum"] is None:
                    errs.append(f"{fam}{dict(rest)}: no _sum")
        if t == "summary":
            names = {n for n, _, _ in samples[fam]}
            if fam + "_sum" not in names or fam + "_count" not in names:
                errs.append(f"{fam}: summary without _sum and _count")
            for name, labels, _ in samples[fam]:
                if name == fam and "quantile" not in labels:
                    errs.append(f"{fam}: summary sample without quantile")
    return errs


def main():
    text = sys.stdin.read()
    errs = check(text)
    for e in errs:
        print(e, file=sys.stderr)
    if not text.strip():
        print("no metrics", file=sys.stderr)
        return 1
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
