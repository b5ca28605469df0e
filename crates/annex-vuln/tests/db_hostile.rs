//! A tampered or shared database directory (issue 16, items 1 and 4): one writer at a time,
//! readers keep their generation, and nothing in the directory leads a read or write out of it.

use std::fs;
use std::path::Path;

use annex_vuln::db::{Db, DbError};

fn advisory(id: &str, name: &str, modified: &str) -> String {
    format!(
        r#"{{"id":"{id}","modified":"{modified}","affected":[{{"package":{{"ecosystem":"npm","name":"{name}"}},"ranges":[{{"type":"SEMVER","events":[{{"introduced":"0"}},{{"fixed":"1.0.0"}}]}}]}}]}}"#
    )
}

/// Imports one npm advisory `id` (modified at `modified`) into `db`.
fn import_one(db: &mut Db, id: &str, modified: &str) -> Result<(), DbError> {
    let src = tempfile::tempdir().unwrap();
    fs::write(
        src.path().join(format!("{id}.json")),
        advisory(id, "left-pad", modified),
    )
    .unwrap();
    db.import(&[src.path()]).map(|_| ())
}

/// A file outside every database, which nothing may change.
fn victim() -> (tempfile::TempDir, std::path::PathBuf) {
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim");
    fs::write(&victim, "keep").unwrap();
    (outside, victim)
}

/// A database holding one npm advisory (generation 1).
fn db_with_one() -> (tempfile::TempDir, Db) {
    let d = tempfile::tempdir().unwrap();
    let mut db = Db::open_or_create(d.path()).unwrap();
    import_one(&mut db, "GHSA-aaaa-aaaa-aaaa", "2024-01-01T00:00:00Z").unwrap();
    (d, db)
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(dir.join("manifest.json")).unwrap()).unwrap()
}

fn set_manifest(dir: &Path, m: &serde_json::Value) {
    fs::write(dir.join("manifest.json"), serde_json::to_vec(m).unwrap()).unwrap();
}

#[test]
fn a_second_writer_is_told_who_holds_the_lock() {
    let d = tempfile::tempdir().unwrap();
    let mut first = Db::open_or_create(d.path()).unwrap();
    first.lock(false).unwrap();
    let mut second = Db::open_or_create(d.path()).unwrap();
    match second.lock(false) {
        Err(DbError::Locked { pid, .. }) => assert_eq!(pid, Some(std::process::id())),
        other => panic!("expected Locked, got {other:?}"),
    }
    first.unlock().unwrap();
    second.lock(false).unwrap();
}

#[test]
fn a_writer_starts_from_the_newest_generation_not_the_one_it_opened() {
    let d = tempfile::tempdir().unwrap();
    let mut a = Db::open_or_create(d.path()).unwrap();
    let mut b = Db::open_or_create(d.path()).unwrap();
    import_one(&mut a, "GHSA-aaaa-aaaa-aaaa", "2024-01-01T00:00:00Z").unwrap();
    // b opened before a's import; its import must keep a's advisory.
    import_one(&mut b, "GHSA-bbbb-bbbb-bbbb", "2024-01-01T00:00:00Z").unwrap();
    let db = Db::open(d.path()).unwrap();
    assert_eq!(db.stats().unwrap().advisories, 2);
    assert!(db.get("GHSA-aaaa-aaaa-aaaa").unwrap().is_some());
}

#[test]
fn a_reader_keeps_its_generation_while_a_writer_replaces_it() {
    let d = tempfile::tempdir().unwrap();
    let mut w = Db::open_or_create(d.path()).unwrap();
    import_one(&mut w, "GHSA-aaaa-aaaa-aaaa", "2024-01-01T00:00:00Z").unwrap();
    let reader = Db::open(d.path()).unwrap();
    // Two newer generations of the same ecosystem while the reader has not looked yet.
    import_one(&mut w, "GHSA-aaaa-aaaa-aaaa", "2024-02-01T00:00:00Z").unwrap();
    import_one(&mut w, "GHSA-aaaa-aaaa-aaaa", "2024-03-01T00:00:00Z").unwrap();
    let got = reader.advisories_for("npm", "left-pad").unwrap();
    assert_eq!(got[0].modified, "2024-01-01T00:00:00Z");
    drop(reader);
    // With no reader left, the next writer deletes what no generation uses.
    import_one(&mut w, "GHSA-aaaa-aaaa-aaaa", "2024-04-01T00:00:00Z").unwrap();
    let mut files: Vec<String> = fs::read_dir(d.path().join("eco/npm"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["data-4.jsonl", "index-4.json"]);
    assert!(manifest(d.path()).get("retired").is_none());
}

#[test]
fn manifest_names_that_leave_the_directory_are_refused() {
    let (outside, victim) = victim();
    for (field, value) in [
        ("dir", format!("../../{}", outside.path().display())),
        ("index", "../../../victim".to_string()),
        ("dir", "/".to_string()),
    ] {
        let (d, db) = db_with_one();
        drop(db);
        let mut m = manifest(d.path());
        m["ecosystems"]["npm"][field] = value.clone().into();
        set_manifest(d.path(), &m);
        assert!(
            matches!(Db::open(d.path()), Err(DbError::Corrupt { .. })),
            "{field} = {value}"
        );
        assert!(Db::open_or_create(d.path()).is_err(), "{field} = {value}");
    }
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
    drop(outside);
}

#[test]
fn an_index_naming_a_data_file_outside_is_refused_and_never_deleted() {
    let (_outside, victim) = victim();
    let (d, _db) = db_with_one();
    let index_path = d.path().join("eco/npm/index-1.json");
    let mut index: serde_json::Value =
        serde_json::from_slice(&fs::read(&index_path).unwrap()).unwrap();
    index["data"] = victim.display().to_string().into();
    fs::write(&index_path, serde_json::to_vec(&index).unwrap()).unwrap();
    let mut db = Db::open(d.path()).unwrap();
    assert!(matches!(
        db.advisories_for("npm", "left-pad"),
        Err(DbError::Corrupt { .. })
    ));
    assert!(import_one(&mut db, "GHSA-aaaa-aaaa-aaaa", "2024-02-01T00:00:00Z").is_err());
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
}

#[test]
fn retired_names_outside_the_directory_are_not_deleted() {
    let (_outside, victim) = victim();
    let (d, db) = db_with_one();
    // No reader left, so the next import collects what is retired.
    drop(db);
    let mut m = manifest(d.path());
    m["retired"] = serde_json::json!([
        victim.display().to_string(),
        format!("../{}", victim.display()),
        "npm/../../../victim",
    ]);
    set_manifest(d.path(), &m);
    let mut db = Db::open_or_create(d.path()).unwrap();
    import_one(&mut db, "GHSA-aaaa-aaaa-aaaa", "2024-02-01T00:00:00Z").unwrap();
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
    assert!(manifest(d.path()).get("retired").is_none());
}

#[cfg(unix)]
#[test]
fn symlinks_planted_in_the_database_are_not_written_through() {
    use std::os::unix::fs::symlink;
    let (outside, victim) = victim();

    // The next generation's data file name, planted as a symlink to a file outside.
    let (d, mut db) = db_with_one();
    symlink(&victim, d.path().join("eco/npm/data-2.jsonl")).unwrap();
    symlink(&victim, d.path().join(".manifest.json.tmp")).unwrap();
    import_one(&mut db, "GHSA-aaaa-aaaa-aaaa", "2024-02-01T00:00:00Z").unwrap();
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
    assert_eq!(
        Db::open(d.path())
            .unwrap()
            .advisories_for("npm", "left-pad")
            .unwrap()[0]
            .modified,
        "2024-02-01T00:00:00Z"
    );

    // An ecosystem directory replaced by a symlink to a directory outside.
    let (d, _db) = db_with_one();
    fs::rename(d.path().join("eco/npm"), outside.path().join("npm")).unwrap();
    symlink(outside.path().join("npm"), d.path().join("eco/npm")).unwrap();
    let before: Vec<_> = fs::read_dir(outside.path().join("npm")).unwrap().collect();
    let mut db = Db::open(d.path()).unwrap();
    assert!(db.advisories_for("npm", "left-pad").is_err());
    assert!(import_one(&mut db, "GHSA-aaaa-aaaa-aaaa", "2024-02-01T00:00:00Z").is_err());
    let after: Vec<_> = fs::read_dir(outside.path().join("npm")).unwrap().collect();
    assert_eq!(before.len(), after.len());

    // A manifest that is a FIFO or a link to /dev/zero: refused, not waited on or read forever.
    let d = tempfile::tempdir().unwrap();
    symlink("/dev/zero", d.path().join("manifest.json")).unwrap();
    assert!(matches!(Db::open(d.path()), Err(DbError::Io { .. })));
}
