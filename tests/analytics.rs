//! Records for analytics tools and batches split over many runs: Parquet
//! holds the JSONL rows with typed columns, `--excel` changes nothing but
//! the BOM, `--shard K/N` runs add up to one run, `--files-from` and
//! `--stream` read paths a line at a time.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use arrow_array::{Array, BooleanArray, Int64Array, RecordBatch, StringArray};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::{Map, Value};
use wenku::output::schema::{ColumnType, Table};
use wenku::source::Shard;

use crate::util::{convert, fixture, jsonl, root, tempdir};

/// The shared development dumps, when ../shared is there.
fn shared_dumps() -> Option<PathBuf> {
    let dir = root().join("../shared/dumps");
    dir.is_dir().then_some(dir)
}

/// A zip archive of `fixtures/dumps` at `path`, members under `dumps/`.
fn zip_of_dumps(path: &Path) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let mut names: Vec<PathBuf> =
        std::fs::read_dir(fixture("dumps")).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
    names.sort();
    for p in names {
        let name = format!("dumps/{}", p.file_name().unwrap().to_string_lossy());
        zip.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(&std::fs::read(&p).unwrap()).unwrap();
    }
    zip.finish().unwrap();
}

/// The inputs of the shard and stream tests: the fixtures, an archive of
/// dumps, and the shared dumps when present.
fn batch_inputs(work: &Path) -> Vec<PathBuf> {
    let archive = work.join("dumps.zip");
    zip_of_dumps(&archive);
    // The fixtures as one folder: named `fixtures/dumps/…`, their ids do
    // not collide with those of the shared dumps (`dumps/…`), copies of
    // some of them.
    let mut inputs = vec![fixture(""), archive];
    inputs.extend(shared_dumps());
    inputs
}

fn run(out: &Path, inputs: &[PathBuf], extra: &[&str]) -> i32 {
    let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    convert(out, &inputs, extra)
}

/// The rows of a Parquet file as JSON objects, checking every column's type
/// and nullability against the contract on the way.
fn parquet_rows(path: &Path, table: Table) -> Vec<Map<String, Value>> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let reader = ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap();
    let mut rows = Vec::new();
    for batch in reader {
        let batch: RecordBatch = batch.unwrap();
        let schema = batch.schema();
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(names, table.column_names(), "{}", path.display());
        for (field, col) in schema.fields().iter().zip(table.columns()) {
            let want = match col.kind {
                ColumnType::String => DataType::Utf8,
                ColumnType::Integer => DataType::Int64,
                ColumnType::Boolean => DataType::Boolean,
            };
            assert_eq!((field.data_type(), field.is_nullable()), (&want, col.nullable), "{}", col.name);
        }
        for i in 0..batch.num_rows() {
            let mut row = Map::new();
            for (c, col) in table.columns().iter().enumerate() {
                let array = batch.column(c);
                let v = if array.is_null(i) {
                    Value::Null
                } else {
                    match col.kind {
                        ColumnType::String => array.as_any().downcast_ref::<StringArray>().unwrap().value(i).into(),
                        ColumnType::Integer => array.as_any().downcast_ref::<Int64Array>().unwrap().value(i).into(),
                        ColumnType::Boolean => array.as_any().downcast_ref::<BooleanArray>().unwrap().value(i).into(),
                    }
                };
                row.insert(col.name.to_string(), v);
            }
            rows.push(row);
        }
    }
    rows
}

fn objects(rows: Vec<Value>) -> Vec<Map<String, Value>> {
    rows.into_iter().map(|r| r.as_object().unwrap().clone()).collect()
}

#[test]
fn parquet_holds_the_jsonl_rows_with_typed_columns() {
    let out = tempdir();
    assert_eq!(run(out.path(), &[fixture("")], &["--format", "jsonl,parquet"]), 0);
    for table in Table::ALL {
        let want = objects(jsonl(&out.path().join(format!("{}.jsonl", table.name()))));
        let got = parquet_rows(&out.path().join(format!("{}.parquet", table.name())), table);
        assert!(!want.is_empty(), "{}", table.name());
        assert_eq!(got.len(), want.len(), "{}", table.name());
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            assert_eq!(g, w, "{} row {i}", table.name());
            let keys: Vec<&str> = w.keys().map(String::as_str).collect();
            let mut sorted = table.column_names();
            sorted.sort();
            assert_eq!(keys, sorted, "JSONL rows have exactly the contract's columns");
        }
    }
    let docs = jsonl(&out.path().join("documents.jsonl"));
    for d in &docs {
        assert_eq!(d["schema_version"], wenku::output::SCHEMA_VERSION);
        assert_eq!(d["wenku_version"], wenku::VERSION);
    }
}

#[test]
fn an_excel_csv_is_the_plain_csv_after_a_bom() {
    let (plain, excel) = (tempdir(), tempdir());
    assert_eq!(run(plain.path(), &[fixture("seed")], &["--format", "csv"]), 0);
    assert_eq!(run(excel.path(), &[fixture("seed")], &["--format", "csv", "--excel"]), 0);
    for table in Table::ALL {
        let name = format!("{}.csv", table.name());
        let p = std::fs::read(plain.path().join(&name)).unwrap();
        let e = std::fs::read(excel.path().join(&name)).unwrap();
        assert_eq!(&e[..3], b"\xEF\xBB\xBF", "{name}");
        assert!(e[3..] == p[..], "{name}: only the BOM differs");
    }
    let docs = std::fs::read_to_string(excel.path().join("documents.csv")).unwrap();
    assert!(docs.contains("“新质生产力”研讨交流材料及心得感悟8篇"));
}

/// The lines of one table over all shards of a folder, each shard's file
/// read as it is.
fn shard_lines(dir: &Path, table: Table, ext: &str, n: u32) -> Vec<Vec<String>> {
    (0..n)
        .map(|k| {
            let path = dir.join(format!("{}{}.{ext}", table.name(), Shard::new(k, n).unwrap().tag()));
            std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                .lines()
                .map(String::from)
                .collect()
        })
        .collect()
}

/// `lines` (JSONL rows of a table from several runs) put in the order of
/// one run: by the position of their document in `doc_order`, keeping each
/// document's rows in their order.
fn in_run_order(lines: Vec<String>, doc_order: &HashMap<String, usize>) -> Vec<String> {
    let mut keyed: Vec<(usize, String)> = lines
        .into_iter()
        .map(|l| {
            let v: Value = serde_json::from_str(&l).unwrap();
            (doc_order[v["doc_id"].as_str().unwrap()], l)
        })
        .collect();
    keyed.sort_by_key(|(i, _)| *i);
    keyed.into_iter().map(|(_, l)| l).collect()
}

fn doc_order(documents: &[Value]) -> HashMap<String, usize> {
    let order: HashMap<String, usize> =
        documents.iter().enumerate().map(|(i, d)| (d["doc_id"].as_str().unwrap().to_string(), i)).collect();
    assert_eq!(order.len(), documents.len(), "document ids are unique in the batch");
    order
}

fn read_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path).unwrap().lines().map(String::from).collect()
}

#[test]
fn shards_together_give_the_records_of_one_run() {
    let work = tempdir();
    let inputs = batch_inputs(work.path());
    let (one, sharded) = (work.path().join("one"), work.path().join("sharded"));
    let one_code = run(&one, &inputs, &["--format", "jsonl,parquet,json"]);
    let n = 4;
    // Two shards at once in the same folder: each has its own lock.
    let mut running: Vec<std::process::Child> = (0..2)
        .map(|k| {
            let mut args: Vec<String> = vec!["-q".into(), "-o".into(), sharded.display().to_string()];
            args.extend(["--shard".into(), format!("{k}/{n}"), "--format".into(), "jsonl,parquet,json".into()]);
            args.extend(inputs.iter().map(|p| p.display().to_string()));
            Command::new(env!("CARGO_BIN_EXE_wenku")).args(&args).current_dir(root()).spawn().unwrap()
        })
        .collect();
    let mut codes: Vec<i32> = running.iter_mut().map(|c| c.wait().unwrap().code().unwrap_or(-1)).collect();
    for k in 2..n {
        codes.push(run(&sharded, &inputs, &["--shard", &format!("{k}/{n}"), "--format", "jsonl,parquet,json"]));
    }
    assert!(codes.iter().all(|c| *c == 0 || *c == 1), "{codes:?}");
    assert_eq!(codes.contains(&1), one_code == 1, "some source failed in a shard iff in the run");

    let documents = jsonl(&one.join("documents.jsonl"));
    let order = doc_order(&documents);
    let mut per_shard = Vec::new();
    for table in Table::ALL {
        let shards = shard_lines(&sharded, table, "jsonl", n);
        if table == Table::Documents {
            per_shard = shards.iter().map(Vec::len).collect();
        }
        let union = in_run_order(shards.into_iter().flatten().collect(), &order);
        assert_eq!(union, read_lines(&one.join(format!("{}.jsonl", table.name()))), "{}", table.name());
        let parquet: usize = (0..n)
            .map(|k| {
                let name = format!("{}{}.parquet", table.name(), Shard::new(k, n).unwrap().tag());
                parquet_rows(&sharded.join(name), table).len()
            })
            .sum();
        assert_eq!(parquet, union.len(), "{} parquet rows", table.name());
    }
    assert!(per_shard.iter().filter(|n| **n > 0).count() >= 3, "the batch is spread: {per_shard:?}");
    // Members of one archive land in several shards.
    let member_shards: std::collections::BTreeSet<u32> = documents
        .iter()
        .filter_map(|d| d["source"].as_str().unwrap().split_once("dumps.zip!/"))
        .map(|(_, m)| Shard::of(&format!("dumps.zip!/{m}"), n))
        .collect();
    assert!(member_shards.len() > 1, "{member_shards:?}");
    let json_files = |dir: &Path| std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0);
    let json_total: usize =
        (0..n).map(|k| json_files(&sharded.join(format!("json{}", Shard::new(k, n).unwrap().tag())))).sum();
    assert_eq!(json_total, json_files(&one.join("json")));
    for k in 0..n {
        let tag = Shard::new(k, n).unwrap().tag();
        let marker: Value =
            serde_json::from_str(&std::fs::read_to_string(sharded.join(format!("_SUCCESS{tag}"))).unwrap()).unwrap();
        assert_eq!(marker["documents"], per_shard[k as usize]);
        let report: Value =
            serde_json::from_str(&std::fs::read_to_string(sharded.join(format!("report{tag}.json"))).unwrap()).unwrap();
        assert_eq!(report["documents"], per_shard[k as usize]);
        assert_eq!(report["options"]["shard"], format!("{k}/{n}"));
    }
    let litter: Vec<String> = std::fs::read_dir(&sharded)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && !n.starts_with(".wenku-lock"))
        .collect();
    assert!(litter.is_empty(), "{litter:?}");
}

#[test]
fn a_rerun_shard_replaces_its_files_and_leaves_other_shards_alone() {
    let work = tempdir();
    let out = work.path().join("out");
    assert!(run(&out, &[fixture("dumps")], &["--shard", "0/2", "--format", "jsonl"]) <= 1);
    let shard0 = std::fs::read(out.join("documents-00000-of-00002.jsonl")).unwrap();
    // Another shard's temporary file (that shard may be running): kept.
    let theirs = out.join(".essays-00000-of-00002.jsonl.tmp-4242");
    std::fs::write(&theirs, "half").unwrap();
    let mine = out.join(".essays-00001-of-00002.jsonl.tmp-4242");
    std::fs::write(&mine, "half").unwrap();
    assert!(run(&out, &[fixture("dumps")], &["--shard", "1/2", "--format", "jsonl"]) <= 1);
    assert!(theirs.exists() && !mine.exists(), "a shard removes only its own litter");
    let before = read_lines(&out.join("documents-00001-of-00002.jsonl"));
    assert!(before.iter().all(|l| l.contains("fixtures/dumps/")));
    // Rerun shard 1 over other inputs: its files are replaced whole.
    assert!(run(&out, &[fixture("seed")], &["--shard", "1/2", "--format", "jsonl"]) <= 1);
    let after = read_lines(&out.join("documents-00001-of-00002.jsonl"));
    assert!(!after.is_empty() && after.iter().all(|l| l.contains("fixtures/seed/")), "{after:?}");
    assert_eq!(std::fs::read(out.join("documents-00000-of-00002.jsonl")).unwrap(), shard0);
    let marker: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("_SUCCESS-00001-of-00002")).unwrap()).unwrap();
    assert_eq!(marker["documents"], after.len());
}

#[test]
fn an_interrupted_shard_resumes_from_its_own_journal() {
    // The hang it relies on is a hook of debug builds only.
    if !cfg!(debug_assertions) {
        eprintln!("skipped: release builds have no WENKU_TEST_HANG hook");
        return;
    }
    let work = tempdir();
    let (out, fresh) = (work.path().join("out"), work.path().join("fresh"));
    let n = 2;
    // The shard with the most fixture dumps; its last source hangs, so the
    // run stops with the others journaled.
    let names: Vec<String> = {
        let mut v: Vec<String> = std::fs::read_dir(fixture("dumps"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let k = (0..n).max_by_key(|k| names.iter().filter(|m| Shard::of(&format!("dumps/{m}"), n) == *k).count()).unwrap();
    let mine: Vec<&String> = names.iter().filter(|m| Shard::of(&format!("dumps/{m}"), n) == k).collect();
    assert!(mine.len() >= 2, "{mine:?}");
    let shard = format!("{k}/{n}");
    let tag = Shard::new(k, n).unwrap().tag();
    let mut child = Command::new(env!("CARGO_BIN_EXE_wenku"))
        .args(["-q", "-j", "1", "--timeout", "0", "--format", "jsonl,parquet", "--shard", &shard, "-o"])
        .arg(&out)
        .arg(fixture("dumps"))
        .env("WENKU_TEST_HANG", mine.last().unwrap().as_str())
        .current_dir(root())
        .spawn()
        .unwrap();
    let journal = out.join(format!(".wenku-journal{tag}"));
    let started = Instant::now();
    while std::fs::read_to_string(&journal).map_or(0, |j| j.lines().count()) < mine.len() {
        assert!(started.elapsed() < Duration::from_secs(120), "the shard never journaled its sources");
        std::thread::sleep(Duration::from_millis(50));
    }
    // SAFETY: signalling a child we started.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    assert_eq!(child.wait().unwrap().code(), Some(143));
    assert!(journal.exists() && !out.join(format!("_SUCCESS{tag}")).exists());
    let resume = ["--shard", &shard, "--format", "jsonl,parquet", "--timeout", "0", "--resume"];
    assert!(run(&out, &[fixture("dumps")], &resume) <= 1);
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join(format!("report{tag}.json"))).unwrap()).unwrap();
    assert_eq!(report["reused"], mine.len() - 1);
    assert!(!journal.exists());
    assert!(run(&fresh, &[fixture("dumps")], &["--shard", &shard, "--format", "jsonl,parquet", "--timeout", "0"]) <= 1);
    // Parquet too: its row groups depend only on the rows.
    for (table, ext) in Table::ALL.into_iter().flat_map(|t| [(t, "jsonl"), (t, "parquet")]) {
        let name = format!("{}{tag}.{ext}", table.name());
        assert_eq!(std::fs::read(out.join(&name)).unwrap(), std::fs::read(fresh.join(&name)).unwrap(), "{name}");
    }
}

/// Every file below `dir` that a folder walk takes as a document.
fn document_files(dir: &Path) -> Vec<PathBuf> {
    let out = tempdir();
    run(out.path(), &[dir.to_path_buf()], &["--format", "jsonl"]);
    let docs = jsonl(&out.path().join("documents.jsonl"));
    docs.iter().map(|d| root().join(d["source"].as_str().unwrap())).collect()
}

#[test]
fn files_from_a_list_or_stdin_are_the_inputs_named() {
    let work = tempdir();
    let mut files = document_files(&fixture("dumps"));
    // A name with spaces, and a missing file: an error record.
    let spaced = work.path().join("a name with spaces.txt");
    std::fs::copy(&files[0], &spaced).unwrap();
    files.push(spaced);
    files.push(work.path().join("missing.txt"));
    let list: String = files.iter().map(|p| format!("{}\r\n", p.display())).collect();
    std::fs::write(work.path().join("list.txt"), &list).unwrap();
    let (named, listed, piped) = (work.path().join("named"), work.path().join("listed"), work.path().join("piped"));
    assert_eq!(run(&named, &files, &["--format", "jsonl"]), 1);
    let list_path = work.path().join("list.txt");
    assert_eq!(run(&listed, &[], &["--format", "jsonl", "--files-from", list_path.to_str().unwrap()]), 1);
    let mut child = Command::new(env!("CARGO_BIN_EXE_wenku"))
        .args(["-q", "--format", "jsonl", "--files-from", "-", "-o"])
        .arg(&piped)
        .stdin(Stdio::piped())
        .current_dir(root())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(list.as_bytes()).unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(1));
    let docs = read_lines(&named.join("documents.jsonl"));
    assert_eq!(docs.len(), files.len());
    assert!(docs.iter().any(|d| d.contains("a name with spaces.txt") && d.contains(r#""status":"ok""#)));
    // The report names the listed inputs as given, in the list's order.
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(listed.join("report.json")).unwrap()).unwrap();
    let given: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    assert_eq!(report["inputs"], serde_json::json!(given));
    // An empty list is no input (not the samples' default).
    std::fs::write(&list_path, "\n").unwrap();
    let empty = work.path().join("empty");
    assert_eq!(run(&empty, &[], &["--format", "jsonl", "--files-from", list_path.to_str().unwrap()]), 0);
    assert_eq!(read_lines(&empty.join("documents.jsonl")).len(), 0);
    for table in Table::ALL {
        let name = format!("{}.jsonl", table.name());
        let want = std::fs::read(named.join(&name)).unwrap();
        assert_eq!(std::fs::read(listed.join(&name)).unwrap(), want, "{name}");
        assert_eq!(std::fs::read(piped.join(&name)).unwrap(), want, "{name}");
    }
}

#[test]
fn the_stream_gives_the_records_of_a_run_over_the_same_paths() {
    let work = tempdir();
    let mut paths = document_files(&fixture(""));
    paths.push(work.path().join("dumps.zip"));
    zip_of_dumps(&paths[paths.len() - 1]);
    paths.push(work.path().join("missing.docx"));
    let list: String = paths.iter().map(|p| format!("{}\n", p.display())).collect();
    let list_path = work.path().join("list.txt");
    std::fs::write(&list_path, &list).unwrap();
    let one = work.path().join("one");
    run(&one, &[], &["--format", "jsonl", "--files-from", list_path.to_str().unwrap()]);

    let output = {
        let mut child = Command::new(env!("CARGO_BIN_EXE_wenku"))
            .args(["--stream", "-j", "2"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .current_dir(work.path())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(list.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    assert_eq!(output.status.code(), Some(0), "failed sources are records, not a failed run");
    assert!(!work.path().join("output").exists(), "no output folder");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut by_type: HashMap<String, Vec<String>> = HashMap::new();
    for line in stdout.lines() {
        let mut v: Map<String, Value> = serde_json::from_str(line).expect("only JSON lines on stdout");
        let kind = v.remove("record").and_then(|k| k.as_str().map(String::from)).expect("a record tag");
        by_type.entry(kind).or_default().push(serde_json::to_string(&v).unwrap());
    }
    let mut kinds: Vec<&String> = by_type.keys().collect();
    kinds.sort();
    assert_eq!(kinds, ["document", "essay", "section"]);
    // The run sorts sources by name; the stream keeps the order of the
    // paths. Same rows either way, once in one order.
    let documents = jsonl(&one.join("documents.jsonl"));
    let order = doc_order(&documents);
    for table in Table::ALL {
        let lines: Vec<String> = read_lines(&one.join(format!("{}.jsonl", table.name())))
            .iter()
            .map(|l| serde_json::to_string(&serde_json::from_str::<Value>(l).unwrap()).unwrap())
            .collect();
        let streamed = in_run_order(by_type.remove(table.record()).unwrap(), &order);
        assert_eq!(streamed, lines, "{}", table.name());
    }
    let errors = documents.iter().filter(|d| d["status"] == "error").count();
    assert!(errors >= 1, "the missing path is an error record");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains(&format!("({errors} failed)")), "{stderr}");
}

#[test]
fn the_stream_ends_quietly_when_its_reader_goes_away() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wenku"))
        .args(["--stream", "-q", "-j", "1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .current_dir(root())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(format!("{}\n", fixture("seed/seed.txt").display()).as_bytes()).unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 20];
    stdout.read_exact(&mut first).unwrap();
    assert_eq!(&first, br#"{"record":"document""#);
    // The consumer stops reading (like `head`), more paths come, then EOF.
    drop(stdout);
    for _ in 0..20 {
        if stdin.write_all(format!("{}\n", fixture("seed").display()).as_bytes()).is_err() {
            break;
        }
    }
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "a closed pipe ends the stream without an error");
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));

    // No paths at all: no records, status 0.
    let mut child = Command::new(env!("CARGO_BIN_EXE_wenku"))
        .args(["--stream", "-q"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .current_dir(root())
        .spawn()
        .unwrap();
    let mut out = Vec::new();
    child.stdout.take().unwrap().read_to_end(&mut out).unwrap();
    assert_eq!((child.wait().unwrap().code(), out.len()), (Some(0), 0));
}
