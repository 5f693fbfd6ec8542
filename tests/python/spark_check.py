#!/usr/bin/env python3
"""Runs wenku under Apache Spark (local mode) and checks it gives the
records of one plain run.

    python3 tests/python/spark_check.py WENKU_BINARY INPUT [INPUT ...]

The documents below the INPUTs (found by a plain run), plus an archive of
fixtures/dumps, are the batch. One plain run over that list
(`--files-from`) is the reference. Then, on a local[2] Spark:

1. `sc.parallelize(paths, 4).pipe("wenku --stream …")`: the collected
   records, sorted by source, equal the reference's, row for row.
2. `--shard K/4` for K = 0..3 as four Spark tasks into one folder: the
   union of the shards' JSONL equals the reference, and Spark reads their
   Parquet files (and the reference's) with no options, with the
   contract's types and the same rows.

Exit status 1 on any mismatch. Needs pyspark and a JDK.
"""
import glob
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TABLES = {"documents": "document", "essays": "essay", "sections": "section"}


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def sort_rows(tables):
    """Rows of each table sorted by source, then position, as one run
    orders them (sources are unique in a batch; ids may not be)."""
    source = {}
    for d in tables["documents"]:
        source.setdefault(d["doc_id"], d["source"])
    return {
        "documents": sorted(tables["documents"], key=lambda r: r["source"]),
        "essays": sorted(tables["essays"], key=lambda r: (source[r["doc_id"]], r["essay_no"])),
        "sections": sorted(tables["sections"], key=lambda r: (source[r["doc_id"]], r["section_no"])),
    }


def compare(name, got, want):
    problems = []
    for table in TABLES:
        g, w = got[table], want[table]
        if g != w:
            first = next((i for i, (a, b) in enumerate(zip(g, w)) if a != b), min(len(g), len(w)))
            problems.append(f"{table}: {len(g)} rows vs {len(w)}, first difference at row {first}")
    status = "ok" if not problems else "MISMATCH"
    counts = ", ".join(f"{len(want[t])} {t}" for t in TABLES)
    print(f"spark {name}: {counts} {status}")
    for p in problems:
        print("   ", p)
    return not problems


def main(wenku, inputs):
    from pyspark.sql import SparkSession
    from pyspark.sql import types as T

    wenku = os.path.abspath(wenku)
    work = tempfile.mkdtemp(prefix="wenku-spark-")
    # The batch: every document below the inputs, as absolute paths, and an
    # archive (its members are converted where the archive is).
    found = os.path.join(work, "found")
    subprocess.run([wenku, "-q", "--format", "jsonl", "-o", found, *inputs], check=False)
    paths = sorted({os.path.abspath(d["source"]) for d in load_jsonl(f"{found}/documents.jsonl")})
    archive = os.path.join(work, "dumps.zip")
    with zipfile.ZipFile(archive, "w") as z:
        for p in sorted(glob.glob(os.path.join(ROOT, "fixtures/dumps/*"))):
            z.write(p, "dumps/" + os.path.basename(p))
    paths.append(archive)
    listing = os.path.join(work, "paths.txt")
    with open(listing, "w", encoding="utf-8") as f:
        f.writelines(p + "\n" for p in paths)

    one = os.path.join(work, "one")
    code = subprocess.run(
        [wenku, "-q", "--format", "jsonl,parquet", "--files-from", listing, "-o", one], check=False
    ).returncode
    if code not in (0, 1):
        print(f"plain run failed with status {code}")
        return False
    want = sort_rows({t: load_jsonl(f"{one}/{t}.jsonl") for t in TABLES})

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    # Local mode on the loopback interface only.
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    started = time.time()
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("wenku-check")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    sc = spark.sparkContext
    ok = True
    try:
        # 1. The stream under RDD.pipe: one wenku per partition.
        command = f"{shlex.quote(wenku)} --stream -q -j 1"
        piped = sc.parallelize(paths, 4).pipe(command, checkCode=True)
        lines = piped.collect()
        streamed = {t: [] for t in TABLES}
        kinds = {v: k for k, v in TABLES.items()}
        for line in lines:
            row = json.loads(line)
            streamed[kinds[row.pop("record")]].append(row)
        ok &= compare(f"RDD.pipe over {len(paths)} paths in 4 partitions", sort_rows(streamed), want)
        # The README's recipe: the piped lines as one DataFrame, split by tag.
        records = spark.read.json(piped)
        for table, record in TABLES.items():
            with open(os.path.join(ROOT, "schema", f"{table}.json"), encoding="utf-8") as f:
                columns = json.load(f)["required"]
            n = records.where(f"record = '{record}'").select(columns).count()
            if n != len(want[table]):
                print(f"spark.read.json of the piped records: {n} {table}, want {len(want[table])}")
                ok = False

        # 2. Four shards as four Spark tasks writing into one folder.
        out = os.path.join(work, "sharded")

        def shard(k):
            args = [wenku, "-q", "-j", "1", "--format", "jsonl,parquet", "--shard", f"{k}/4"]
            return subprocess.run([*args, "--files-from", listing, "-o", out], check=False).returncode

        codes = sc.parallelize(range(4), 4).map(shard).collect()
        if any(c not in (0, 1) for c in codes) or len(glob.glob(f"{out}/_SUCCESS-*-of-00004")) != 4:
            print(f"spark shards: statuses {codes}, markers {sorted(glob.glob(f'{out}/_SUCCESS-*'))}")
            ok = False
        union = {t: [r for f in sorted(glob.glob(f"{out}/{t}-*-of-00004.jsonl")) for r in load_jsonl(f)] for t in TABLES}
        ok &= compare("--shard K/4, K = 0..3, union of JSONL", sort_rows(union), want)

        # Spark reads the Parquet files as they are, with their types.
        want_types = {"integer": T.LongType(), "boolean": T.BooleanType(), "string": T.StringType()}
        read = {}
        for table in TABLES:
            with open(os.path.join(ROOT, "schema", f"{table}.json"), encoding="utf-8") as f:
                schema = json.load(f)
            for label, files in [("one run", [f"{one}/{table}.parquet"]), ("shards", f"{out}/{table}-*.parquet")]:
                df = spark.read.parquet(*files) if isinstance(files, list) else spark.read.parquet(files)
                fields = {f.name: f.dataType for f in df.schema.fields}
                for name in schema["required"]:
                    t = schema["properties"][name]["type"]
                    kind = [x for x in (t if isinstance(t, list) else [t]) if x != "null"][0]
                    if fields.get(name) != want_types[kind]:
                        print(f"spark parquet {table} ({label}) {name}: {fields.get(name)}, want {kind}")
                        ok = False
                if [f.name for f in df.schema.fields] != schema["required"]:
                    print(f"spark parquet {table} ({label}): columns {list(fields)}")
                    ok = False
                read.setdefault(label, {})[table] = [r.asDict() for r in df.collect()]
        for label, tables in read.items():
            ok &= compare(f"spark.read.parquet ({label})", sort_rows(tables), want)
    finally:
        spark.stop()
    print(f"spark checks took {time.time() - started:.1f} s")
    return ok


if __name__ == "__main__":
    sys.exit(0 if main(sys.argv[1], sys.argv[2:]) else 1)
