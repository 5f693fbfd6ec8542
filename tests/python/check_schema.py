#!/usr/bin/env python3
"""Validates every JSONL row of wenku outputs against schema/*.json.

    python3 tests/python/check_schema.py PATH [PATH ...]

PATH is an output folder (every documents*.jsonl, essays*.jsonl and
sections*.jsonl in it, shards included) or a file of --stream output
(each line validated against the schema its "record" tag names). Uses the
reference implementation of JSON Schema (the `jsonschema` package,
draft 2020-12). Exit status 1 when a row is invalid or nothing was checked.
"""
import glob
import json
import os
import sys

from jsonschema import Draft202012Validator

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TABLES = {"documents": "document", "essays": "essay", "sections": "section"}


def validators():
    out = {}
    for table, record in TABLES.items():
        with open(os.path.join(ROOT, "schema", f"{table}.json"), encoding="utf-8") as f:
            schema = json.load(f)
        Draft202012Validator.check_schema(schema)
        out[record] = Draft202012Validator(schema)
    return out


def rows_of(path):
    """(record type, row, where) of every row below `path`."""
    if os.path.isdir(path):
        for table, record in TABLES.items():
            for file in sorted(glob.glob(os.path.join(path, f"{table}*.jsonl"))):
                with open(file, encoding="utf-8") as f:
                    for n, line in enumerate(f, 1):
                        if line.strip():
                            yield record, json.loads(line), f"{file}:{n}"
    else:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                row = json.loads(line)
                yield row.pop("record", None), row, f"{path}:{n}"


def main(paths):
    v = validators()
    counts = {r: 0 for r in v}
    bad = 0
    for path in paths:
        for record, row, where in rows_of(path):
            if record not in v:
                print(f"{where}: unknown record type {record!r}")
                bad += 1
                continue
            errors = list(v[record].iter_errors(row))
            counts[record] += 1
            for e in errors[:3]:
                print(f"{where}: {'/'.join(map(str, e.path)) or '(row)'}: {e.message}")
            bad += bool(errors)
    total = sum(counts.values())
    print(f"schema: {total} rows checked ({', '.join(f'{n} {r}' for r, n in counts.items())}), {bad} invalid")
    return bad == 0 and total > 0


if __name__ == "__main__":
    sys.exit(0 if main(sys.argv[1:]) else 1)
