//! Hostile use of the command line (issue 16): concurrent database writers and readers,
//! symlinks and special files in the checkout, imports that read nothing.
use serde_json::Value;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use tempfile::TempDir;

mod common;
use common::{annex, json_of};

/// The built binary as a plain process, for running several at once.
fn spawn(args: &[&str], db: &Path) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("annex"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env_remove("ANNEX_DB")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn stats(db: &Path) -> Value {
    json_of(
        annex()
            .args(["db", "stats", "--format", "json", "--db"])
            .arg(db),
    )
}

#[test]
fn concurrent_imports_into_one_database_lose_nothing() {
    let go = "../../../shared/data/osv/go";
    let rustsec = "../../../shared/data/osv/rustsec";
    let expected = TempDir::new().unwrap();
    annex()
        .args(["db", "import", go, rustsec, "--db"])
        .arg(expected.path())
        .assert()
        .success();
    let db = TempDir::new().unwrap();
    let a = spawn(&["db", "import", go], db.path());
    let b = spawn(&["db", "import", rustsec], db.path());
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let (got, want) = (stats(db.path()), stats(expected.path()));
    assert_eq!(got["advisories"], want["advisories"]);
    assert_eq!(got["by_ecosystem"], want["by_ecosystem"]);
}

/// `count` npm advisories, all stamped `modified`, so each round rewrites the ecosystem.
fn npm_round(dir: &Path, count: usize, modified: &str) {
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..count {
        std::fs::write(
            dir.join(format!("GHSA-{i:04}.json")),
            format!(
                r#"{{"id":"GHSA-{i:04}-xxxx-xxxx","modified":"{modified}","affected":[{{"package":{{"ecosystem":"npm","name":"p{i}"}},"ranges":[{{"type":"SEMVER","events":[{{"introduced":"0"}},{{"fixed":"1.0.0"}}]}}]}}]}}"#
            ),
        )
        .unwrap();
    }
}

#[test]
fn readers_during_imports_always_see_a_complete_generation() {
    let src = TempDir::new().unwrap();
    let db = TempDir::new().unwrap();
    let rounds: Vec<_> = (1..=6)
        .map(|r| {
            let dir = src.path().join(format!("r{r}"));
            npm_round(&dir, 1500, &format!("2024-01-0{r}T00:00:00Z"));
            dir
        })
        .collect();
    annex()
        .args(["db", "import"])
        .arg(&rounds[0])
        .arg("--db")
        .arg(db.path())
        .assert()
        .success();
    let writer = {
        let db = db.path().to_path_buf();
        let rounds = rounds[1..].to_vec();
        std::thread::spawn(move || {
            for r in rounds {
                let out = spawn(&["db", "import", r.to_str().unwrap()], &db)
                    .wait_with_output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        })
    };
    let mut reads = 0;
    while !writer.is_finished() {
        let out = spawn(&["db", "stats", "--format", "json"], db.path())
            .wait_with_output()
            .unwrap();
        assert!(
            out.status.success(),
            "a reader failed during an import: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        reads += 1;
    }
    writer.join().unwrap();
    assert!(reads > 0);
    assert_eq!(stats(db.path())["advisories"], 1500);
}

#[test]
fn a_writer_waiting_for_the_lock_says_who_holds_it() {
    let db = TempDir::new().unwrap();
    // Hold the lock as another writer would, from this process.
    let mut held = annex_vuln::db::Db::open_or_create(db.path()).unwrap();
    held.lock(false).unwrap();
    let mut child = spawn(
        &["db", "import", "../../../shared/data/osv/rustsec"],
        db.path(),
    );
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the second writer did not wait"
    );
    held.unlock().unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("locked by pid {}", std::process::id())),
        "{stderr}"
    );
}

#[test]
fn an_import_that_reads_nothing_fails() {
    let db = TempDir::new().unwrap();
    let empty = TempDir::new().unwrap();
    annex()
        .args(["db", "import"])
        .arg(empty.path())
        .arg("--db")
        .arg(db.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no advisory was imported"));
}
