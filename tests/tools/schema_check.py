#!/usr/bin/python3
"""schema_check.py - validates JSON files against a Firedrill JSON Schema (draft 2020-12).

Reads each file strictly, as the C loader does: UTF-8 only, no NaN/Infinity literals, no
duplicate keys, bounded nesting. Prints one line per file ("ok FILE" or "invalid FILE: PATH:
MESSAGE") and exits 0 when every file met the expectation, 1 when one did not, 2 on a usage
error or a schema that is itself invalid.

    /usr/bin/python3 tests/tools/schema_check.py [--expect valid|invalid] SCHEMA FILE...

Run it with Debian's /usr/bin/python3 (python3-jsonschema >= 4, for draft 2020-12); a python3
found first on PATH (pyenv, venv) may lack jsonschema.
"""
import argparse
import json
import sys

try:
    import jsonschema
except ImportError:  # pragma: no cover - depends on the machine
    sys.stderr.write("schema_check.py: the jsonschema module is missing; install "
                     "python3-jsonschema and run with /usr/bin/python3\n")
    sys.exit(2)


class InputError(Exception):
    """The file is not strict JSON (the loader would reject it before any schema)."""


def _no_constants(name):
    raise InputError("%s is not valid JSON" % name)


def _no_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise InputError("field %r appears more than once" % key)
        seen[key] = value
    return seen


def load_strict(path):
    """Parses a file the way the C loader accepts it, or raises InputError."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise InputError("cannot open: %s" % e.strerror)
    try:
        text = raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        raise InputError("invalid UTF-8 at byte %d" % e.start)
    try:
        return json.loads(text, parse_constant=_no_constants,
                          object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as e:
        raise InputError("invalid JSON: %s" % e)
    except RecursionError:
        raise InputError("invalid JSON: nested too deeply")


def json_path(error):
    """The instance path in the loader's style: faults[0].target.fraction, or $."""
    out = ""
    for part in error.absolute_path:
        if isinstance(part, int):
            out += "[%d]" % part
        else:
            out += ("." if out else "") + str(part)
    return out or "$"


def first_error(validator, instance):
    """The most relevant error (jsonschema's best_match), or None."""
    try:
        errors = list(validator.iter_errors(instance))
    except RecursionError:
        return "$: nested too deeply"
    if not errors:
        return None
    best = jsonschema.exceptions.best_match(errors)
    message = best.message
    if len(message) > 200:
        message = message[:197] + "..."
    return "%s: %s" % (json_path(best), message)


def main(argv):
    parser = argparse.ArgumentParser(description="Validate JSON files against a JSON Schema.")
    parser.add_argument("--expect", choices=("valid", "invalid"), default="valid",
                        help="what every file should be (default: valid)")
    parser.add_argument("--quiet", action="store_true", help="print only files that surprise")
    parser.add_argument("schema", help="the schema file")
    parser.add_argument("files", nargs="+", help="the files to check")
    args = parser.parse_args(argv)

    try:
        schema = load_strict(args.schema)
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
    except (InputError, jsonschema.exceptions.SchemaError) as e:
        sys.stderr.write("schema_check.py: %s: bad schema: %s\n" % (args.schema, e))
        return 2
    if cls is not jsonschema.Draft202012Validator:
        sys.stderr.write("schema_check.py: %s: expected a draft 2020-12 schema\n" % args.schema)
        return 2
    validator = cls(schema)

    surprises = 0
    for path in args.files:
        try:
            problem = first_error(validator, load_strict(path))
        except InputError as e:
            problem = "$: %s" % e
        valid = problem is None
        surprise = valid != (args.expect == "valid")
        surprises += surprise
        if surprise or not args.quiet:
            line = "ok %s" % path if valid else "invalid %s: %s" % (path, problem)
            print(("UNEXPECTED " if surprise else "") + line)
    return 1 if surprises else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
