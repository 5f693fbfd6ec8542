#!/usr/bin/env python3
"""Checks that a wenku output folder loads as it is into pandas and DuckDB.

    python3 tests/python/check_loads.py OUTPUT_DIR [OUTPUT_DIR ...]

For each table (documents, essays, sections): pandas.read_csv and DuckDB's
read_csv_auto with default options give as many rows as the JSONL file,
the same columns in the same order, and the same values for the id and text
columns. Exit status 1 on any mismatch.
"""
import json
import sys

import duckdb
import pandas as pd

KEYS = {
    "documents": ["doc_id", "source", "title", "essays", "sections", "status"],
    "essays": ["doc_id", "essay_no", "title", "text"],
    "sections": ["doc_id", "section_no", "label", "heading", "text"],
}


def norm(v):
    if v is None:
        return None
    if isinstance(v, float) and v != v:  # NaN: pandas' empty cell
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v if not isinstance(v, str) or v != "" else None


def check(out):
    ok = True
    for table, keys in KEYS.items():
        rows = [json.loads(line) for line in open(f"{out}/{table}.jsonl", encoding="utf-8") if line.strip()]
        df = pd.read_csv(f"{out}/{table}.csv")
        duck = duckdb.sql(f"select * from read_csv_auto('{out}/{table}.csv')")
        duck_rows = duck.fetchall()
        columns = list(rows[0].keys()) if rows else list(df.columns)
        problems = []
        if len(df) != len(rows) or len(duck_rows) != len(rows):
            problems.append(f"rows: jsonl {len(rows)} pandas {len(df)} duckdb {len(duck_rows)}")
        if list(df.columns) != columns or list(duck.columns) != columns:
            problems.append(f"columns differ: {list(df.columns)} / {list(duck.columns)}")
        if not problems:
            duck_index = {c: i for i, c in enumerate(duck.columns)}
            for i, row in enumerate(rows):
                for k in keys:
                    want = norm(row[k])
                    got_pd = norm(df.iloc[i][k].item() if hasattr(df.iloc[i][k], "item") else df.iloc[i][k])
                    got_duck = norm(duck_rows[i][duck_index[k]])
                    if isinstance(want, str):
                        got_pd = None if got_pd is None else str(got_pd)
                        got_duck = None if got_duck is None else str(got_duck)
                    if got_pd != want or got_duck != want:
                        problems.append(f"row {i} {k}: jsonl {want!r} pandas {got_pd!r} duckdb {got_duck!r}")
                        break
                if len(problems) > 3:
                    break
        status = "ok" if not problems else "MISMATCH"
        print(f"{out} {table}: {len(rows)} rows {status}")
        for p in problems:
            print("   ", p)
        ok &= not problems
    return ok


if __name__ == "__main__":
    results = [check(out) for out in sys.argv[1:]]
    sys.exit(0 if all(results) else 1)
