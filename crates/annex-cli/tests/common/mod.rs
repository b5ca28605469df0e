//! Helpers shared by the CLI tests.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::Path;

/// The `annex` binary, with no advisory database reachable from the user's cache, so no
/// machine state changes the results.
pub fn annex() -> Command {
    let mut cmd = Command::cargo_bin("annex").unwrap();
    cmd.env(
        "XDG_CACHE_HOME",
        std::env::temp_dir().join("annex-tests-no-cache"),
    )
    .env_remove("ANNEX_DB");
    cmd
}

/// A new advisory database holding what `annex db import` reads from `sources` (paths
/// relative to the crate, e.g. `../../../shared/data/osv/pypa`).
pub fn imported_db(sources: &[&str]) -> tempfile::TempDir {
    let db = tempfile::TempDir::new().unwrap();
    annex()
        .args(["db", "import", "--db"])
        .arg(db.path())
        .args(sources)
        .assert()
        .success();
    db
}

/// Validate a document against its official schema with ../shared/tools/validate_doc.py.
pub fn validate(kind: &str, file: &Path) {
    let out = std::process::Command::new("python3")
        .arg("../../../shared/tools/validate_doc.py")
        .arg(kind)
        .arg(file)
        .output()
        .expect(
            "python3 runs (install python3 and `pip install 'jsonschema[format-nongpl]>=4.18'`)",
        );
    assert!(
        out.status.success(),
        "{kind} {}: {}{}",
        file.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `cmd`, which must succeed, and parses its stdout as JSON.
pub fn json_of(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
