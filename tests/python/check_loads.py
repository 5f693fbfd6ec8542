#!/usr/bin/env python3
"""Checks that a wenku output folder loads as it is into pandas, DuckDB and
pyarrow, with the contract's types.

    python3 tests/python/check_loads.py OUTPUT_DIR [OUTPUT_DIR ...]
    python3 tests/python/check_loads.py --excel EXCEL_DIR PLAIN_DIR

For each table (documents, essays, sections), with default options:
* CSV: pandas.read_csv and DuckDB's read_csv_auto give as many rows as the
  JSONL file, the same columns in the same order, the same values for the
  id and text columns, and integer and boolean types where a column has no
  empty cell.
* JSONL: pandas.read_json(lines=True) and DuckDB's read_json_auto give the
  same rows and columns.
* Parquet (when written): pyarrow reads every value equal to the JSONL
  rows, with the schema/*.json types (int64, bool, string) and
  nullability; pandas and DuckDB read the same row count with int64 /
  BIGINT, bool / BOOLEAN and string / VARCHAR columns.
With --excel: every CSV of EXCEL_DIR is the CSV of PLAIN_DIR after a UTF-8
BOM, and decodes (utf-8-sig, as Excel does) to the JSONL's Chinese text.
Exit status 1 on any mismatch.
"""
import json
import os
import sys

import duckdb
import pandas as pd

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TABLES = ["documents", "essays", "sections"]
KEYS = {
    "documents": ["doc_id", "source", "title", "essays", "sections", "status", "schema_version", "wenku_version"],
    "essays": ["doc_id", "essay_no", "title", "text"],
    "sections": ["doc_id", "section_no", "label", "heading", "text"],
}


def schema(table):
    with open(os.path.join(ROOT, "schema", f"{table}.json"), encoding="utf-8") as f:
        s = json.load(f)
    cols = {}
    for name in s["required"]:
        t = s["properties"][name]["type"]
        types = t if isinstance(t, list) else [t]
        cols[name] = ([x for x in types if x != "null"][0], "null" in types)
    return s["required"], cols


def norm(v):
    if v is None:
        return None
    if isinstance(v, float) and v != v:  # NaN: pandas' empty cell
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if hasattr(v, "item"):
        v = v.item()
    return v if not isinstance(v, str) or v != "" else None


def same(want, got):
    want, got = norm(want), norm(got)
    if isinstance(want, str) and got is not None:
        got = str(got)
    return want == got


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def check_csv(out, table, rows, columns, types, problems):
    path = f"{out}/{table}.csv"
    df = pd.read_csv(path)
    duck = duckdb.sql(f"select * from read_csv_auto('{path}')")
    duck_rows = duck.fetchall()
    if len(df) != len(rows) or len(duck_rows) != len(rows):
        problems.append(f"csv rows: jsonl {len(rows)} pandas {len(df)} duckdb {len(duck_rows)}")
        return
    if list(df.columns) != columns or list(duck.columns) != columns:
        problems.append(f"csv columns differ: {list(df.columns)} / {list(duck.columns)}")
        return
    duck_types = dict(zip(duck.columns, (str(t) for t in duck.types)))
    for name, (kind, _) in types.items():
        full = rows and all(r[name] is not None and r[name] != "" for r in rows)
        if not full:
            continue
        want_pd, want_duck = {"integer": ("int64", "BIGINT"), "boolean": ("bool", "BOOLEAN")}.get(kind, (None, None))
        if want_pd and (str(df[name].dtype) != want_pd or duck_types[name] != want_duck):
            problems.append(f"csv {name}: pandas {df[name].dtype} duckdb {duck_types[name]}, want {kind}")
    index = {c: i for i, c in enumerate(duck.columns)}
    for i, row in enumerate(rows):
        for k in KEYS[table]:
            if not same(row[k], df.iloc[i][k]) or not same(row[k], duck_rows[i][index[k]]):
                problems.append(f"csv row {i} {k}: jsonl {row[k]!r} pandas {df.iloc[i][k]!r}")
                return


def check_jsonl(out, table, rows, columns, problems):
    path = f"{out}/{table}.jsonl"
    if not rows:
        return
    df = pd.read_json(path, lines=True, dtype=False)
    duck = duckdb.sql(f"select * from read_json_auto('{path}')")
    n = len(duck.fetchall())
    if len(df) != len(rows) or n != len(rows):
        problems.append(f"jsonl rows: {len(rows)} pandas {len(df)} duckdb {n}")
    if list(df.columns) != columns or list(duck.columns) != columns:
        problems.append(f"jsonl columns differ: {list(df.columns)} / {list(duck.columns)}")


def check_parquet(out, table, rows, columns, types, problems):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = f"{out}/{table}.parquet"
    t = pq.read_table(path)
    want_arrow = {"integer": pa.int64(), "boolean": pa.bool_(), "string": pa.string()}
    if t.schema.names != columns:
        problems.append(f"parquet columns {t.schema.names}")
        return
    for field in t.schema:
        kind, nullable = types[field.name]
        if field.type != want_arrow[kind] or field.nullable != nullable:
            problems.append(f"parquet {field.name}: {field.type} nullable={field.nullable}, want {kind} {nullable}")
    got = t.to_pylist()
    if got != rows:
        bad = next((i for i, (g, w) in enumerate(zip(got, rows)) if g != w), min(len(got), len(rows)))
        problems.append(f"parquet rows differ from jsonl (count {len(got)} vs {len(rows)}, first at {bad})")
    df = pd.read_parquet(path)
    duck = duckdb.sql(f"select * from read_parquet('{path}')")
    duck_types = dict(zip(duck.columns, (str(t) for t in duck.types)))
    if len(df) != len(rows) or len(duck.fetchall()) != len(rows):
        problems.append("parquet row count in pandas or duckdb")
    for name, (kind, nullable) in types.items():
        want_duck = {"integer": "BIGINT", "boolean": "BOOLEAN", "string": "VARCHAR"}[kind]
        if duck_types[name] != want_duck:
            problems.append(f"parquet {name}: duckdb {duck_types[name]}, want {want_duck}")
        dtype = str(df[name].dtype)
        # pandas holds a nullable integer column as float64 when it has nulls.
        ok = {
            "integer": dtype == "int64" or (nullable and dtype in ("float64", "Int64")),
            "boolean": dtype == "bool",
            "string": dtype in ("object", "string", "str"),
        }[kind]
        if not ok:
            problems.append(f"parquet {name}: pandas {dtype}, want {kind}")


def check(out):
    ok = True
    for table in TABLES:
        rows = load_jsonl(f"{out}/{table}.jsonl")
        columns, types = schema(table)
        problems = []
        if rows and list(rows[0].keys()) != columns:
            problems.append(f"jsonl columns {list(rows[0].keys())} are not the schema's")
        checked = ["jsonl"]
        check_jsonl(out, table, rows, columns, problems)
        if os.path.exists(f"{out}/{table}.csv"):
            check_csv(out, table, rows, columns, types, problems)
            checked.append("csv")
        if os.path.exists(f"{out}/{table}.parquet"):
            check_parquet(out, table, rows, columns, types, problems)
            checked.append("parquet")
        status = "ok" if not problems else "MISMATCH"
        print(f"{out} {table}: {len(rows)} rows, {'/'.join(checked)} {status}")
        for p in problems[:5]:
            print("   ", p)
        ok &= not problems
    return ok


def check_excel(excel, plain):
    ok = True
    for table in TABLES:
        with open(f"{excel}/{table}.csv", "rb") as f:
            e = f.read()
        with open(f"{plain}/{table}.csv", "rb") as f:
            p = f.read()
        problems = []
        if not e.startswith(b"\xef\xbb\xbf"):
            problems.append("no UTF-8 BOM")
        if e[3:] != p:
            problems.append("differs from the plain CSV after the BOM")
        rows = load_jsonl(f"{plain}/{table}.jsonl")
        df = pd.read_csv(f"{excel}/{table}.csv", encoding="utf-8-sig")
        if list(df.columns)[0] != "doc_id":
            problems.append(f"first column reads as {list(df.columns)[0]!r}")
        text_col = {"documents": "title", "essays": "text", "sections": "heading"}[table]
        for i, row in enumerate(rows):
            if not same(row[text_col], df.iloc[i][text_col]):
                problems.append(f"row {i} {text_col}: {df.iloc[i][text_col]!r} != {row[text_col]!r}")
                break
        han = sum(1 for r in rows for c in (r[text_col] or "") if "\u4e00" <= c <= "\u9fff")
        if rows and han == 0:
            problems.append(f"no Chinese text in {text_col}")
        print(f"{excel} {table}.csv (excel): {len(rows)} rows, {han} Han characters {'ok' if not problems else 'MISMATCH'}")
        for p in problems:
            print("   ", p)
        ok &= not problems
    return ok


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--excel"]:
        sys.exit(0 if check_excel(args[1], args[2]) else 1)
    results = [check(out) for out in args]
    sys.exit(0 if all(results) else 1)
