//! Every kind of bad input gets an error record that names the file and
//! the reason; the good files of the same batch are converted all the same.

use std::io::Write;

use crate::util::{convert, fixture, jsonl, tempdir};

fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        for (name, data) in entries {
            zip.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap();
    }
    buf.into_inner()
}

fn ole_with(stream_name: &str) -> Vec<u8> {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(512, 0);
    bytes.extend(stream_name.encode_utf16().flat_map(|u| u.to_le_bytes()));
    bytes.resize(2048, 0);
    bytes
}

#[test]
fn each_bad_input_gets_its_own_reason_and_the_batch_goes_on() {
    let dir = tempdir();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    let seed = std::fs::read(fixture("seed/seed.txt")).unwrap();
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("a_good.txt", seed.clone()),
        ("empty.txt", Vec::new()),
        ("corrupt.docx", b"PK\x03\x04 this is not a zip at all, just its magic".to_vec()),
        ("no_main_part.docx", zip_with(&[("hello.txt", b"hello")])),
        ("encrypted.docx", ole_with("EncryptedPackage")),
        ("legacy.doc", ole_with("WordDocument")),
        ("binary.txt", (0u8..=255).cycle().take(8192).collect()),
        ("report.pdf", b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj".to_vec()),
        ("nested.zip", zip_with(&[("inner.zip", &zip_with(&[("x.txt", b"x")])), ("ok.txt", &seed)])),
        ("renamed.docx", "这其实是一个文本文件。它的扩展名不对，但内容是正常的中文文本。".as_bytes().to_vec()),
    ];
    for (name, bytes) in &files {
        std::fs::write(inputs.join(name), bytes).unwrap();
    }
    let missing = dir.path().join("does-not-exist.txt");
    let out = dir.path().join("out");
    assert_eq!(convert(&out, &[&inputs, &missing], &[]), 1);
    let docs = jsonl(&out.join("documents.jsonl"));
    let status = |suffix: &str| -> (String, String) {
        let d = docs
            .iter()
            .find(|d| d["source"].as_str().unwrap().ends_with(suffix))
            .unwrap_or_else(|| panic!("no record for {suffix}"));
        (d["status"].as_str().unwrap().to_string(), d["error"].as_str().unwrap_or("").to_string())
    };
    let expect_error = |suffix: &str, reason: &str| {
        let (s, e) = status(suffix);
        assert_eq!(s, "error", "{suffix}");
        assert!(e.contains(suffix), "error must name the file: {e}");
        assert!(e.contains(reason), "{suffix}: {e:?} should say {reason:?}");
    };
    assert_eq!(status("a_good.txt").0, "ok");
    assert_eq!(status("nested.zip!/ok.txt").0, "ok");
    assert_eq!(status("renamed.docx").0, "ok", "a .docx holding text is read as text");
    expect_error("empty.txt", "empty file");
    expect_error("corrupt.docx", "zip");
    expect_error("no_main_part.docx", "main part missing");
    expect_error("encrypted.docx", "encrypted document (password protected)");
    expect_error("legacy.doc", "legacy Word .doc");
    expect_error("binary.txt", "not text");
    expect_error("report.pdf", "unsupported format: PDF");
    expect_error("nested.zip!/inner.zip", "archive inside an archive");
    expect_error("does-not-exist.txt", "No such file");
    let good = docs.iter().find(|d| d["source"].as_str().unwrap().ends_with("a_good.txt")).unwrap();
    assert_eq!(good["essays"], 7);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["failed"].as_u64().unwrap() as usize, docs.iter().filter(|d| d["status"] == "error").count());
    assert_eq!(report["errors"].as_array().unwrap().len(), report["failed"].as_u64().unwrap() as usize);
}

#[test]
fn a_corrupt_archive_is_one_error_record() {
    let dir = tempdir();
    let archive = dir.path().join("dumps.zip");
    std::fs::write(&archive, b"PK\x05\x06 broken central directory").unwrap();
    let out = dir.path().join("out");
    assert_eq!(convert(&out, &[&archive], &[]), 1);
    let docs = jsonl(&out.join("documents.jsonl"));
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["status"], "error");
    assert!(docs[0]["error"].as_str().unwrap().contains("dumps.zip"));
}

#[test]
fn archive_members_are_read_in_place() {
    let dir = tempdir();
    let seed = std::fs::read(fixture("seed/seed.txt")).unwrap();
    let docx = std::fs::read(fixture("seed/seed.python-docx.docx")).unwrap();
    let archive = dir.path().join("dumps.zip");
    std::fs::write(&archive, zip_with(&[("a/seed.txt", &seed), ("b/seed.docx", &docx), ("notes.md", b"# x")])).unwrap();
    let out = dir.path().join("out");
    assert_eq!(convert(&out, &[&archive], &[]), 0);
    let docs = jsonl(&out.join("documents.jsonl"));
    let sources: Vec<&str> = docs.iter().map(|d| d["source"].as_str().unwrap()).collect();
    assert_eq!(sources.len(), 2);
    assert!(sources[0].ends_with("dumps.zip!/a/seed.txt"), "{sources:?}");
    assert!(sources[1].ends_with("dumps.zip!/b/seed.docx"), "{sources:?}");
    assert!(docs.iter().all(|d| d["essays"] == 7));
}
