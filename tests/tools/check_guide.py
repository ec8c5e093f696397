#!/usr/bin/python3
"""check_guide.py - keeps the scenario authoring guide (scenarios/README.md) true to the format.

Checks, printing one line per problem ("FAIL: ...") and a summary:

  1. every property name of scenario.schema.json and responder.schema.json, at any depth
     (properties, $defs, items, additionalProperties, oneOf/anyOf/allOf, if/then/else, not),
     and every string value of an enum or const, appears in the guide as inline code:
     `name`, or a component of a dotted path such as `baseline.index.age`;
  2. every topic, prompt version, model id and fingerprint of assets/ appears likewise;
  3. every ```json block is a whole scenario (it has "faults") or responder (it has "steps")
     that passes its schema (and, with --firedrill, `firedrill validate`);
  4. every ```jsonc block starts with a comment line
        // fragment: scenario#/JSON/POINTER   (or responder#/...)
     and the rest validates against that part of the schema, or with
        // not-checked: REASON
     and is skipped;
  5. with --firedrill, the blocks marked by an HTML comment on the line before the fence,
        <!-- file: NAME.json -->   and   <!-- file: responders/NAME.json -->
     are written to a temporary scenarios/ folder and every scenario among them passes
     `firedrill validate --solve`.

    /usr/bin/python3 tests/tools/check_guide.py [--firedrill BIN] GUIDE SRC_DIR

SRC_DIR holds scenarios/schema/ and assets/. Exit 0 when everything holds, 1 when something
does not, 2 on a usage error. Needs Debian's python3-jsonschema (>= 4, draft 2020-12): run
with /usr/bin/python3.
"""
import argparse
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:  # pragma: no cover - depends on the machine
    sys.stderr.write("check_guide.py: the jsonschema module is missing; install "
                     "python3-jsonschema and run with /usr/bin/python3\n")
    sys.exit(2)

SCHEMAS = ("scenario", "responder")


class Guide:
    """The guide's text, its inline code spans and its fenced blocks."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.text = f.read()
        self.lines = self.text.split("\n")
        self.blocks = []  # (first line number of the content, lang, content, file marker)
        self._split()
        self.code = self._inline_code()

    def _split(self):
        fence = re.compile(r"^(\s*)(`{3,})(\S*)\s*$")
        i, n = 0, len(self.lines)
        outside = []
        while i < n:
            m = fence.match(self.lines[i])
            if not m:
                outside.append(self.lines[i])
                i += 1
                continue
            ticks, lang = m.group(2), m.group(3)
            marker = None
            for back in range(i - 1, max(-1, i - 3), -1):
                mm = re.match(r"^\s*<!--\s*file:\s*(\S+)\s*-->\s*$", self.lines[back])
                if mm:
                    marker = mm.group(1)
                    break
                if self.lines[back].strip():
                    break
            j = i + 1
            while j < n and not re.match(r"^\s*" + ticks + r"\s*$", self.lines[j]):
                j += 1
            self.blocks.append((i + 2, lang, "\n".join(self.lines[i + 1:j]), marker))
            outside.append("")
            i = j + 1
        self.prose = "\n".join(outside)

    def _inline_code(self):
        spans = set()
        for m in re.finditer(r"(`+)(.+?)\1", self.prose, re.S):
            span = m.group(2).strip()
            spans.add(span)
            spans.add(span.strip('"'))
            # Names inside a span: `baseline.index.age`, `{"ttl", "cacheable_share"}`,
            # `"web-4.8"`, `kind:arg`.
            for token in re.findall(r"[A-Za-z0-9_$<>\-.]+", span):
                spans.add(token)
                spans.update(part for part in token.split(".") if part)
        return spans


def walk(node, props, enums):
    """Collects property names and string enum/const values of a schema, at any depth."""
    if isinstance(node, list):
        for v in node:
            walk(v, props, enums)
        return
    if not isinstance(node, dict):
        return
    for k in node.get("properties", {}):
        props.add(k)
    for key in ("properties", "$defs", "patternProperties", "dependentSchemas"):
        for v in node.get(key, {}).values():
            walk(v, props, enums)
    for key in ("items", "additionalProperties", "not", "if", "then", "else", "propertyNames",
                "contains"):
        if key in node:
            walk(node[key], props, enums)
    for key in ("oneOf", "anyOf", "allOf", "prefixItems"):
        walk(node.get(key, []), props, enums)
    for v in node.get("enum", []):
        if isinstance(v, str):
            enums.add(v)
    if isinstance(node.get("const"), str):
        enums.add(node["const"])


def pointer(schema, ptr):
    """Resolves a JSON pointer such as /$defs/fault in a schema, or raises KeyError."""
    node = schema
    for raw in ptr.lstrip("/").split("/") if ptr.strip("/") else []:
        part = raw.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def fragment_validator(schema, ptr):
    """A validator for the part of `schema` at `ptr`, its $refs still resolving."""
    sub = copy.deepcopy(pointer(schema, ptr))
    wrapper = {"$schema": schema.get("$schema"), "$defs": dict(schema.get("$defs", {}))}
    wrapper["$defs"]["__fragment"] = sub
    wrapper["$ref"] = "#/$defs/__fragment"
    cls = jsonschema.validators.validator_for(schema)
    return cls(wrapper)


def errors_of(validator, instance):
    errs = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    out = []
    for e in errs[:3]:
        path = "".join("[%d]" % p if isinstance(p, int) else "." + str(p)
                       for p in e.absolute_path).lstrip(".") or "$"
        out.append("%s: %s" % (path, e.message[:160]))
    return out


def load_json(text):
    def no_dups(pairs):
        seen = {}
        for k, v in pairs:
            if k in seen:
                raise ValueError("field %r appears twice" % k)
            seen[k] = v
        return seen
    return json.loads(text, object_pairs_hook=no_dups)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--firedrill", help="the firedrill binary: also run validate (--solve)")
    ap.add_argument("guide")
    ap.add_argument("src")
    args = ap.parse_args(argv)

    schemas = {}
    for name in SCHEMAS:
        path = os.path.join(args.src, "scenarios", "schema", "%s.schema.json" % name)
        with open(path, encoding="utf-8") as f:
            schemas[name] = json.load(f)
        cls = jsonschema.validators.validator_for(schemas[name])
        cls.check_schema(schemas[name])
    guide = Guide(args.guide)
    failures = []

    def fail(msg):
        failures.append(msg)
        print("FAIL: " + msg)

    # 1. schema names.
    names = 0
    for name in SCHEMAS:
        props, enums = set(), set()
        walk(schemas[name], props, enums)
        for p in sorted(props):
            names += 1
            if p not in guide.code:
                fail("%s schema property `%s` is not in the guide" % (name, p))
        for e in sorted(enums - props):
            names += 1
            if e not in guide.code:
                fail("%s schema value `%s` (an enum) is not in the guide" % (name, e))

    # 2. world names.
    assets = os.path.join(args.src, "assets")
    with open(os.path.join(assets, "kb.json"), encoding="utf-8") as f:
        world = [t["id"] for t in json.load(f)["topics"]]
    with open(os.path.join(assets, "prompts.json"), encoding="utf-8") as f:
        world += [p["version"] for p in json.load(f)["prompts"]]
    with open(os.path.join(assets, "models.json"), encoding="utf-8") as f:
        for m in json.load(f)["models"]:
            world.append(m["id"])
            world += [v["fingerprint"] for v in m["versions"]]
    for w in world:
        names += 1
        if w not in guide.code:
            fail("world name `%s` (assets/) is not in the guide" % w)

    # 3. and 4. blocks.
    tmp = tempfile.mkdtemp(prefix="check_guide.")
    whole = []   # (line, kind, path)
    marked = {}  # marker -> path
    nblocks = 0
    for line, lang, body, marker in guide.blocks:
        where = "%s:%d" % (args.guide, line)
        if lang == "json":
            nblocks += 1
            try:
                doc = load_json(body)
            except ValueError as e:
                fail("%s: ```json block is not valid JSON: %s" % (where, e))
                continue
            kind = ("responder" if isinstance(doc, dict) and "steps" in doc else
                    "scenario" if isinstance(doc, dict) and "faults" in doc else None)
            if not kind:
                fail("%s: a ```json block must be a whole scenario or responder; mark a "
                     "partial one ```jsonc with // fragment: SCHEMA#POINTER" % where)
                continue
            cls = jsonschema.validators.validator_for(schemas[kind])
            for e in errors_of(cls(schemas[kind]), doc):
                fail("%s: %s example invalid: %s" % (where, kind, e))
            path = os.path.join(tmp, "blocks", "line%d" % line,
                                "responders" if kind == "responder" else "", "x.json")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(body + "\n")
            whole.append((where, kind, path))
            if marker:
                dest = os.path.join(tmp, "scenarios", marker)
                if marker in marked:
                    fail("%s: file %s is marked twice" % (where, marker))
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                with open(dest, "w", encoding="utf-8") as f:
                    f.write(body + "\n")
                marked[marker] = (where, kind, dest)
        elif lang == "jsonc":
            nblocks += 1
            first, _, rest = body.lstrip("\n").partition("\n")
            m = re.match(r"^\s*//\s*(fragment|not-checked):\s*(.*?)\s*$", first)
            if not m:
                fail("%s: a ```jsonc block must start with // fragment: SCHEMA#POINTER or "
                     "// not-checked: REASON" % where)
                continue
            if m.group(1) == "not-checked":
                continue
            fm = re.match(r"^(scenario|responder)#(/.*)?$", m.group(2))
            if not fm:
                fail("%s: bad fragment marker %r (expected e.g. scenario#/$defs/fault)" %
                     (where, m.group(2)))
                continue
            try:
                validator = fragment_validator(schemas[fm.group(1)], fm.group(2) or "")
            except (KeyError, IndexError, ValueError):
                fail("%s: %s has no %s" % (where, fm.group(1), fm.group(2)))
                continue
            try:
                doc = load_json(rest)
            except ValueError as e:
                fail("%s: fragment is not valid JSON: %s" % (where, e))
                continue
            for e in errors_of(validator, doc):
                fail("%s: fragment %s invalid: %s" % (where, m.group(2), e))

    # 5. the loader and --solve.
    solved = 0
    if args.firedrill:
        env = dict(os.environ, FIREDRILL_DATA_DIR=args.src)
        for where, kind, path in whole:
            cmd = [args.firedrill, "validate"] + (["--responder"] if kind == "responder" else [])
            r = subprocess.run(cmd + [path], env=env, capture_output=True, text=True)
            if r.returncode != 0:
                fail("%s: firedrill validate rejects the %s example:\n%s" %
                     (where, kind, (r.stdout + r.stderr).strip()))
        scen = [(w, p) for m, (w, k, p) in sorted(marked.items()) if k == "scenario"]
        if not scen:
            fail("no complete example marked <!-- file: NAME.json --> in the guide")
        for where, path in scen:
            name = os.path.basename(path)
            resp = os.path.join(os.path.dirname(path), "responders", name)
            if not os.path.exists(resp):
                fail("%s: %s has no marked responder <!-- file: responders/%s -->" %
                     (where, name, name))
                continue
            r = subprocess.run([args.firedrill, "validate", "--solve", path], env=env,
                               capture_output=True, text=True, timeout=300)
            if r.returncode != 0:
                fail("%s: the complete example %s does not pass validate --solve:\n%s" %
                     (where, name, (r.stdout + r.stderr).strip()))
            else:
                solved += 1
    shutil.rmtree(tmp, ignore_errors=True)
    print("check_guide: %d names, %d JSON blocks, %d complete examples solved; %d failure(s)" %
          (names, nblocks, solved, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
