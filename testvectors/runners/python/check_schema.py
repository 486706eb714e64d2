#!/usr/bin/env python3
"""Checks that schema.json and wsanatomy's loader agree, with an independent
JSON Schema validator (Debian's python3-jsonschema): every vector file the
loader accepts is valid, and every file the loader refuses
(testdata/malformed) is invalid, except the two rules JSON Schema cannot
state, which schema.json's description names.

    python3 check_schema.py
"""

import glob
import importlib.metadata
import json
import os
import sys

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
TV = os.path.join(HERE, "..", "..")

# Refused by the loader, but beyond JSON Schema: ids unique across files,
# and a byte string's expanded size.
BEYOND_SCHEMA = {"duplicate-id.json", "bad-repeat.json"}


def main():
    with open(os.path.join(TV, "schema.json"), encoding="utf-8") as f:
        validator = jsonschema.Draft202012Validator(json.load(f))
    good = sorted(glob.glob(os.path.join(TV, "vectors", "*.json")) + glob.glob(os.path.join(TV, "runners", "testdata", "*.json")) +
                  [os.path.join(TV, "testdata", n) for n in ("good.json", "wrong.json", "wrong-messages.json", "wrong-deflate.json")])
    bad = sorted(glob.glob(os.path.join(TV, "testdata", "malformed", "*.json")))
    status = 0
    for p in good:
        with open(p, encoding="utf-8") as f:
            errors = list(validator.iter_errors(json.load(f)))
        if errors:
            status = 1
            print("INVALID  %s: %s at %s" % (os.path.relpath(p, TV), errors[0].message[:200], list(errors[0].absolute_path)))
    for p in bad:
        name = os.path.basename(p)
        try:
            with open(p, encoding="utf-8") as f:
                doc = json.load(f)
        except ValueError:
            continue  # not JSON at all: refused by every reader
        valid = validator.is_valid(doc)
        if valid and name not in BEYOND_SCHEMA:
            status = 1
            print("VALID    %s: the loader refuses it, the schema does not" % os.path.relpath(p, TV))
        if not valid and name in BEYOND_SCHEMA:
            print("NOTE     %s: now refused by the schema too; take it out of BEYOND_SCHEMA" % name)
    print("schema.json (jsonschema %s): %d accepted files valid, %d refused files invalid (%d beyond JSON Schema)%s" % (
        importlib.metadata.version("jsonschema"), len(good), len(bad) - len(BEYOND_SCHEMA), len(BEYOND_SCHEMA),
        "" if status == 0 else ": MISMATCH"))
    sys.exit(status)


if __name__ == "__main__":
    main()
