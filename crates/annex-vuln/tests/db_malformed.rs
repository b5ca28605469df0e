//! Hostile and broken inputs: garbage, truncated and corrupt archives, zip bombs, huge files.
//! Each is skipped with an issue naming it; the import never aborts or panics.

use std::fs::{self, File};
use std::io::Write;
use std::path::Path;

use annex_vuln::db::{Db, DbError, ImportSummary, IssueKind, Limits};
use proptest::prelude::*;
use zip::write::SimpleFileOptions;

const GOOD: &str = r#"{"id":"GHSA-good-good-good","modified":"2024-01-01T00:00:00Z",
  "affected":[{"package":{"ecosystem":"npm","name":"good"},
  "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.0.0"}]}]}]}"#;

fn db_with(limits: Limits) -> (tempfile::TempDir, Db) {
    let d = tempfile::tempdir().unwrap();
    let db = Db::open_or_create(d.path()).unwrap().with_limits(limits);
    (d, db)
}

fn skipped(s: &ImportSummary) -> Vec<(String, String)> {
    s.issues
        .iter()
        .filter(|i| i.kind == IssueKind::Skipped)
        .map(|i| (i.path.clone(), i.message.clone()))
        .collect()
}

fn deflated() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true)
}

#[test]
fn garbage_files_are_skipped_and_named() {
    let src = tempfile::tempdir().unwrap();
    fs::write(src.path().join("good.json"), GOOD).unwrap();
    fs::write(src.path().join("garbage.json"), "{ this is not json").unwrap();
    fs::write(src.path().join("empty.json"), "").unwrap();
    fs::write(src.path().join("binary.yaml"), [0xff, 0xfe, 0x00, 0x01]).unwrap();
    fs::write(src.path().join("list.yaml"), "- a\n- b\n").unwrap();
    fs::write(
        src.path().join("bad-rustsec.md"),
        "```toml\n[advisory]\nid = \"RUSTSEC-2024-9999\"\n```\n# t\n",
    )
    .unwrap();
    fs::write(src.path().join("README.md"), "# Not an advisory\n").unwrap();
    fs::write(src.path().join("notes.txt"), "ignored").unwrap();
    let (_d, mut db) = db_with(Limits::default());
    let s = db.import(&[src.path()]).unwrap();
    assert_eq!(s.added, 1);
    assert_eq!(s.files, 6, "README.md and notes.txt are not candidates");
    let sk = skipped(&s);
    assert_eq!(sk.len(), 5, "{sk:#?}");
    let msg = |name: &str| {
        sk.iter()
            .find(|(p, _)| p.ends_with(name))
            .unwrap_or_else(|| panic!("{name} not reported"))
            .1
            .clone()
    };
    assert!(msg("garbage.json").contains("invalid OSV JSON"));
    assert!(msg("empty.json").contains("EOF"));
    assert!(msg("binary.yaml").contains("not UTF-8"));
    assert!(msg("list.yaml").contains("invalid OSV YAML"));
    assert!(msg("bad-rustsec.md").contains("invalid RustSec advisory"));
}

#[test]
fn missing_source_is_an_error() {
    let (_d, mut db) = db_with(Limits::default());
    assert!(matches!(
        db.import(&["/definitely/not/here"]),
        Err(DbError::SourceNotFound(_))
    ));
    let empty = tempfile::tempdir().unwrap();
    assert!(matches!(Db::open(empty.path()), Err(DbError::NotFound(_))));
}

fn write_zip(path: &Path, entries: &[(&str, Vec<u8>)]) {
    let mut w = zip::ZipWriter::new(File::create(path).unwrap());
    for (name, data) in entries {
        w.start_file(*name, deflated()).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn truncated_and_corrupt_zips() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole.zip");
    let entries: Vec<(String, Vec<u8>)> = (0..20)
        .map(|i| {
            (
                format!("GHSA-{i}.json"),
                GOOD.replace("GHSA-good-good-good", &format!("GHSA-{i}"))
                    .into_bytes(),
            )
        })
        .collect();
    let refs: Vec<(&str, Vec<u8>)> = entries
        .iter()
        .map(|(n, d)| (n.as_str(), d.clone()))
        .collect();
    write_zip(&whole, &refs);
    let bytes = fs::read(&whole).unwrap();

    // Cut in half: no central directory left.
    let truncated = dir.path().join("truncated.zip");
    fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let (_d, mut db) = db_with(Limits::default());
    let s = db.import(&[&truncated]).unwrap();
    assert_eq!((s.added, s.skipped), (0, 1));
    assert!(
        skipped(&s)[0]
            .1
            .contains("not a readable zip archive: no end-of-central-directory record"),
        "{s:?}"
    );

    // Only a few bytes.
    let tiny = dir.path().join("tiny.zip");
    fs::write(&tiny, b"PK\x03\x04").unwrap();
    let s = db.import(&[&tiny]).unwrap();
    assert!(skipped(&s)[0].1.contains("too short"), "{s:?}");

    // Compressed data damaged in the middle: the central directory is intact, the damaged
    // entries fail to decompress or parse; the others are imported.
    let mut damaged = bytes.clone();
    let mid = damaged.len() / 3;
    for b in &mut damaged[mid..mid + 64] {
        *b ^= 0x5a;
    }
    let corrupt = dir.path().join("corrupt.zip");
    fs::write(&corrupt, &damaged).unwrap();
    let (_d2, mut db2) = db_with(Limits::default());
    let s = db2.import(&[&corrupt]).unwrap();
    assert!(s.skipped >= 1, "{s:?}");
    assert_eq!(s.added + s.skipped, 20, "{s:?}");
    assert!(skipped(&s).iter().all(|(p, _)| p.contains("corrupt.zip!")));
}

#[test]
fn zip_bomb_one_huge_entry_is_refused_with_default_limits() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("bomb.zip");
    // 48 MiB of zeros (over the 32 MiB default) compresses to ~50 KiB.
    let mut w = zip::ZipWriter::new(File::create(&bomb).unwrap());
    w.start_file("GHSA-bomb.json", deflated()).unwrap();
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..48 {
        w.write_all(&chunk).unwrap();
    }
    w.start_file("GHSA-good.json", deflated()).unwrap();
    w.write_all(GOOD.as_bytes()).unwrap();
    w.finish().unwrap();
    assert!(fs::metadata(&bomb).unwrap().len() < 1 << 20);
    let (_d, mut db) = db_with(Limits::default());
    let s = db.import(&[&bomb]).unwrap();
    assert_eq!((s.added, s.skipped), (1, 1), "{s:?}");
    let (path, msg) = &skipped(&s)[0];
    assert!(path.ends_with("bomb.zip!GHSA-bomb.json"));
    assert!(msg.contains("refused"), "{msg}");
}

/// Rewrites the uncompressed size of every entry (local headers and central directory) to a
/// small lie, as a crafted bomb would.
fn lie_about_sizes(bytes: &mut [u8], claimed: u32) {
    let mut i = 0;
    while i + 30 < bytes.len() {
        if bytes[i..i + 4] == *b"PK\x03\x04" {
            bytes[i + 22..i + 26].copy_from_slice(&claimed.to_le_bytes());
        } else if bytes[i..i + 4] == *b"PK\x01\x02" && i + 46 < bytes.len() {
            bytes[i + 24..i + 28].copy_from_slice(&claimed.to_le_bytes());
        }
        i += 1;
    }
}

#[test]
fn zip_bomb_lying_about_its_size_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("liar.zip");
    let mut w = zip::ZipWriter::new(File::create(&bomb).unwrap());
    // Not `large_file`: 32-bit size fields that can be rewritten in place.
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    w.start_file("GHSA-liar.json", opts).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..8 {
        w.write_all(&chunk).unwrap();
    }
    w.finish().unwrap();
    let mut bytes = fs::read(&bomb).unwrap();
    lie_about_sizes(&mut bytes, 100);
    fs::write(&bomb, &bytes).unwrap();
    // The reader must not trust the header: at most `max_file_size` bytes are decompressed.
    let limits = Limits {
        max_file_size: 1 << 20,
        ..Limits::default()
    };
    let (_d, mut db) = db_with(limits);
    let s = db.import(&[&bomb]).unwrap();
    assert_eq!((s.added, s.skipped), (0, 1), "{s:?}");
}

#[test]
fn zip_bomb_many_entries_is_refused_before_listing() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("many.zip");
    let mut w = zip::ZipWriter::new(File::create(&bomb).unwrap());
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..5000 {
        w.start_file(format!("{i}.json"), stored).unwrap();
        w.write_all(b"{}").unwrap();
    }
    w.finish().unwrap();
    let limits = Limits {
        max_archive_entries: 1000,
        ..Limits::default()
    };
    let (_d, mut db) = db_with(limits);
    let s = db.import(&[&bomb]).unwrap();
    assert_eq!((s.files, s.skipped), (0, 1));
    assert!(
        skipped(&s)[0]
            .1
            .contains("lists 5000 entries, over the limit of 1000")
    );
    let limits = Limits {
        max_central_directory: 4096,
        ..Limits::default()
    };
    let (_d, mut db) = db_with(limits);
    let s = db.import(&[&bomb]).unwrap();
    assert!(skipped(&s)[0].1.contains("central directory"), "{s:?}");
}

#[test]
fn zip_bomb_total_budget_stops_the_archive() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("total.zip");
    let mut w = zip::ZipWriter::new(File::create(&bomb).unwrap());
    let filler = vec![b' '; 512 << 10];
    for i in 0..40 {
        w.start_file(format!("GHSA-{i}.json"), deflated()).unwrap();
        w.write_all(&filler).unwrap();
    }
    w.finish().unwrap();
    let limits = Limits {
        max_file_size: 1 << 20,
        max_archive_uncompressed: 4 << 20,
        ..Limits::default()
    };
    let (_d, mut db) = db_with(limits);
    let s = db.import(&[&bomb]).unwrap();
    let sk = skipped(&s);
    // Entries within the budget are read (and are not advisories: all whitespace); then the
    // archive is abandoned with one issue.
    assert!(s.files < 12, "{s:?}");
    let last = sk.last().unwrap();
    assert!(
        last.1
            .contains("decompresses to more than 4194304 bytes in total"),
        "{last:?}"
    );
}

#[test]
fn huge_file_is_refused_by_size_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    // Sparse: no real disk use.
    let huge = dir.path().join("huge.json");
    File::create(&huge).unwrap().set_len(1 << 30).unwrap();
    let huge_zip = dir.path().join("huge.zip");
    File::create(&huge_zip).unwrap().set_len(1 << 30).unwrap();
    let huger_zip = dir.path().join("huger.zip");
    File::create(&huger_zip).unwrap().set_len(9 << 30).unwrap();
    let (_d, mut db) = db_with(Limits::default());
    let t = std::time::Instant::now();
    let s = db.import(&[dir.path()]).unwrap();
    assert!(t.elapsed().as_secs() < 5, "read instead of refused");
    let sk = skipped(&s);
    assert_eq!(sk.len(), 3, "{sk:#?}");
    let msg = |name: &str| {
        sk.iter()
            .find(|(p, _)| p.ends_with(name))
            .unwrap()
            .1
            .clone()
    };
    assert!(
        msg("huge.json").contains("refused: the file is 1073741824 bytes"),
        "{sk:?}"
    );
    assert!(msg("huge.zip").contains("no end-of-central-directory record"));
    assert!(msg("huger.zip").contains("over the 8589934592-byte limit"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Random bytes under any advisory extension, loose or inside an archive, never panic and
    /// never add anything that is not a valid record.
    #[test]
    fn random_inputs_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
        ext in prop::sample::select(vec!["json", "yaml", "md", "zip"]),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("x.{ext}"));
        fs::write(&path, &bytes).unwrap();
        let inner = dir.path().join("inner.zip");
        write_zip(&inner, &[("a.json", bytes.clone()), ("b.yaml", bytes.clone()), ("c.md", bytes.clone())]);
        let (_d, mut db) = db_with(Limits::default());
        let s = db.import(&[dir.path()]).unwrap();
        prop_assert_eq!(s.added, 0);
        prop_assert_eq!(s.records, 0);
    }

    /// Random prefixes of a valid archive.
    #[test]
    fn truncated_archives_never_panic(cut in 0usize..4096) {
        let dir = tempfile::tempdir().unwrap();
        let whole = dir.path().join("w.zip");
        write_zip(&whole, &[("a.json", GOOD.as_bytes().to_vec()), ("b.json", GOOD.as_bytes().to_vec())]);
        let bytes = fs::read(&whole).unwrap();
        let cut = cut.min(bytes.len());
        fs::write(&whole, &bytes[..cut]).unwrap();
        let (_d, mut db) = db_with(Limits::default());
        let _ = db.import(&[&whole]).unwrap();
    }
}
